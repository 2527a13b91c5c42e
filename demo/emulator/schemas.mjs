// JSON Schemas of the Media Collection API's requests, one per event type, written from
// ../shared/spec/media-collection-api.md (§1.1, §2.2, §2.3, §3.1, §6, §7.2). They are
// deliberately independent of the plugin's own tables, so that the emulator and the unit tests
// judge the plugin rather than repeat it.

const string = { type: 'string' };
const integer = { type: 'integer' };
const boolean = { type: 'boolean' };

const playerTime = {
  type: 'object',
  required: ['playhead', 'ts'],
  additionalProperties: false,
  properties: { playhead: { type: 'number', minimum: 0 }, ts: { type: 'integer', minimum: 1 } }
};

// §6.6: the 2018 schema allowed the four integers; the OAS adds errorID and errorSource.
const qoeData = {
  type: 'object',
  additionalProperties: false,
  properties: {
    'media.qoe.bitrate': integer,
    'media.qoe.droppedFrames': integer,
    'media.qoe.framesPerSecond': integer,
    'media.qoe.timeToStart': integer,
    'media.qoe.errorID': string,
    'media.qoe.errorSource': { enum: ['player', 'external'] }
  }
};

// §6.5 and the schema excerpt of §7.2.
const customMetadata = {
  type: 'object',
  additionalProperties: false,
  patternProperties: { '^[a-zA-Z0-9_.]+$': string }
};

const strings = (prefix, names) => Object.fromEntries(names.map((name) => [prefix + name, string]));

// §2.2 (required), §2.3 (optional), §6.1 (video), §6.2 (audio).
const sessionStartParams = {
  type: 'object',
  additionalProperties: false,
  required: [
    'analytics.trackingServer',
    'analytics.reportSuite',
    'visitor.marketingCloudOrgId',
    'media.id',
    'media.length',
    'media.contentType',
    'media.playerName',
    'media.channel'
  ],
  properties: {
    ...strings('analytics.', ['trackingServer', 'reportSuite', 'visitorId', 'aid']),
    ...strings('visitor.', ['marketingCloudOrgId', 'marketingCloudUserId']),
    appInstallationId: string,
    ...strings('media.', [
      'id',
      'name',
      'contentType',
      'playerName',
      'channel',
      'sdkVersion',
      'libraryVersion',
      'publisher',
      'show',
      'season',
      'episode',
      'assetId',
      'genre',
      'firstAirDate',
      'firstDigitalDate',
      'rating',
      'originator',
      'network',
      'showType',
      'adLoad',
      'pass.mvpd',
      'pass.auth',
      'dayPart',
      'feed',
      'streamFormat',
      'artist',
      'album',
      'label',
      'author',
      'station'
    ]),
    'media.length': { type: 'number', exclusiveMinimum: 0 },
    'media.streamType': { enum: ['audio', 'video'] },
    'media.resume': boolean,
    // §2.3: true on an online session is a 400.
    'media.downloaded': { const: false },
    'analytics.enableSSL': boolean,
    'analytics.optOutServerSideForwarding': boolean,
    'analytics.optOutShare': boolean,
    'visitor.aamLocationHint': integer,
    'visitor.customerIDs': {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: string, authState: { enum: [0, 1, 2] } }
      }
    }
  }
};

const params = (required, properties) => ({ type: 'object', additionalProperties: false, required, properties });
const stateName = { type: 'string', pattern: '^[a-zA-Z0-9_.]{1,64}$' };
const stateList = {
  type: 'array',
  items: params(['media.state.name'], { 'media.state.name': stateName })
};

// What each event type takes besides playerTime and eventType (§3.1). An event type without
// an entry for `params` must not carry any (a ping with params is a 400, §1.1).
const events = {
  sessionStart: { params: sessionStartParams, customMetadata: true },
  play: {},
  ping: {},
  pauseStart: {},
  bufferStart: {},
  bitrateChange: { qoeRequired: ['media.qoe.bitrate'] },
  error: { qoeRequired: ['media.qoe.errorID', 'media.qoe.errorSource'] },
  sessionComplete: {},
  sessionEnd: {},
  adBreakStart: {
    params: params(['media.ad.podIndex', 'media.ad.podSecond'], {
      'media.ad.podIndex': { type: 'integer', minimum: 0 },
      'media.ad.podSecond': { type: 'number', minimum: 0 },
      'media.ad.podFriendlyName': string
    })
  },
  adStart: {
    params: params(['media.ad.id', 'media.ad.length', 'media.ad.podPosition', 'media.ad.playerName'], {
      'media.ad.id': string,
      'media.ad.length': { type: 'number', minimum: 0 },
      'media.ad.podPosition': { type: 'integer', minimum: 1 },
      'media.ad.playerName': string,
      ...strings('media.ad.', ['name', 'advertiser', 'campaignId', 'creativeId', 'siteId', 'creativeURL', 'placementId'])
    }),
    customMetadata: true
  },
  adComplete: {},
  adSkip: {},
  adBreakComplete: {},
  chapterStart: {
    params: params(['media.chapter.index', 'media.chapter.offset', 'media.chapter.length'], {
      'media.chapter.index': { type: 'integer', minimum: 1 },
      'media.chapter.offset': { type: 'number', minimum: 0 },
      'media.chapter.length': { type: 'number', minimum: 0 },
      'media.chapter.friendlyName': string
    }),
    customMetadata: true
  },
  chapterComplete: {},
  chapterSkip: {},
  stateStart: { params: params(['media.state.name'], { 'media.state.name': stateName }) },
  stateEnd: { params: params(['media.state.name'], { 'media.state.name': stateName }) },
  statesUpdate: {
    params: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { statesStart: stateList, statesEnd: stateList }
    }
  }
};

/** The event types the API knows. */
export const EVENT_TYPES = Object.keys(events);

/** One JSON Schema per event type, keyed by the event type. */
export const schemas = Object.fromEntries(
  Object.entries(events).map(([eventType, spec]) => {
    const properties = { eventType: { const: eventType }, playerTime };
    const required = ['eventType', 'playerTime'];
    if (spec.params) {
      properties.params = spec.params;
      required.push('params');
    }
    properties.qoeData = spec.qoeRequired ? { ...qoeData, required: spec.qoeRequired } : qoeData;
    if (spec.qoeRequired) required.push('qoeData');
    if (spec.customMetadata) properties.customMetadata = customMetadata;
    return [eventType, { $id: `mc:${eventType}`, type: 'object', additionalProperties: false, required, properties }];
  })
);
