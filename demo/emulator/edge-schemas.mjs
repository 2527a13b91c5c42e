// JSON Schemas of the Media Edge API's requests (Edge Network), one per event type, written from
// Adobe's OpenAPI file (/work/shared/spec/adobe/media-edge.openapi.yaml) and its digest
// (/work/shared/spec/media-edge-api.md). Like schemas.mjs, they are independent of the plugin's
// own code, so that the emulator judges the plugin rather than repeat it.
//
// Each schema checks one event, `{ xdm }`, the only item of the body's `events` array (the
// envelope and `xdm.eventType` are checked by the emulator before, as they decide between a 400
// and the sessionStart's 207). Objects whose fields the OpenAPI file lists are closed
// (additionalProperties false); where the OpenAPI file is looser than the digest, the yaml wins
// and a comment says so. `xdm` itself is an XDM ExperienceEvent, which the file does not close:
// the fields it describes are checked (eventType, timestamp, mediaCollection, identityMap,
// implementationDetails) and any other passes (the emulator warns of those it does not know).

const string = { type: 'string' };
const integer = { type: 'integer' };
const boolean = { type: 'boolean' };

const closed = (properties, required = []) => ({
  type: 'object',
  additionalProperties: false,
  ...(required.length ? { required } : {}),
  properties
});
const strings = (names) => Object.fromEntries(names.map((name) => [name, string]));

// `format: date-time`, checked by validate.mjs (ajv-formats is not installed): the digest asks
// for ISO 8601 in UTC; the yaml's own examples write UTC as `Z` and as `+00:00`, so both pass,
// and no other offset.
const timestamp = { type: 'string', format: 'date-time' };

// The yaml says `integer`; a playhead is never negative (the digest, and the Media Collection API).
const playhead = { type: 'integer', minimum: 0 };

// Every sessionDetails field of the yaml, with its type. Required: name (the content id),
// playerName, length, channel, contentType. The yaml sets no bounds on `length`.
const sessionDetails = closed(
  {
    ...strings([
      'name',
      'friendlyName',
      'contentType',
      'playerName',
      'channel',
      'appVersion',
      'adLoad',
      'artist',
      'rating',
      'show',
      'episode',
      'originator',
      'firstAirDate',
      'authorized',
      'streamFormat',
      'station',
      'genre',
      'season',
      'showType',
      'author',
      'album',
      'dayPart',
      'label',
      'mvpd',
      'feed',
      'assetID',
      'publisher',
      'firstDigitalDate',
      'network'
    ]),
    length: integer,
    streamType: { enum: ['audio', 'video'] },
    hasResume: boolean,
    // The yaml's boolean, with no rule against true (the Media Collection API answers 400 to
    // `media.downloaded: true` on an online session; the yaml has a separate /downloaded path).
    isDownloaded: boolean
  },
  ['name', 'playerName', 'length', 'channel', 'contentType']
);

// The yaml requires neither `name` nor `value` of an item (looser than the digest's "an array of
// {name, value}"): the yaml wins, both are optional strings.
const customMetadata = { type: 'array', items: closed({ name: string, value: string }) };

// All four optional everywhere, bitrateChange included (the yaml requires qoeDataDetails there,
// but none of its fields; the Media Collection API requires media.qoe.bitrate).
const qoeDataDetails = closed({ bitrate: integer, droppedFrames: integer, framesPerSecond: integer, timeToStart: integer });

// The yaml lists only FPID (example: FPID); the digest sends ECID. Any namespace is an array of
// identities; `id` is required (the yaml marks nothing required, but an identity without an id
// says nothing, and XDM's identity item requires it).
const identityMap = {
  type: 'object',
  additionalProperties: {
    type: 'array',
    items: closed({ id: string, authenticatedState: { enum: ['ambiguous', 'authenticated', 'loggedOut'] }, primary: boolean }, ['id'])
  }
};

const stateList = { type: 'array', items: closed({ name: { type: 'string', pattern: '^[a-zA-Z0-9_.]{1,64}$' } }, ['name']) };

// The yaml describes implementationDetails on /downloaded only (Adobe's Web SDK sends it on
// every sessionStart: `{ name: 'https://ns.adobe.com/experience/alloy', version, environment:
// 'browser' }`); its fields, as listed there, wherever it comes.
const implementationDetails = closed({
  version: string,
  name: string,
  environment: { enum: ['browser', 'app', 'device', 'server', 'iot'] }
});

// What each event type's mediaCollection takes besides playhead, sessionID and qoeDataDetails,
// and which of those are required (the yaml's lists).
const events = {
  sessionStart: {
    properties: { sessionDetails, customMetadata },
    required: ['sessionDetails']
  },
  play: {},
  ping: {},
  pauseStart: {},
  bufferStart: {},
  bitrateChange: { required: ['qoeDataDetails'] },
  error: {
    properties: { errorDetails: closed({ name: string, source: { enum: ['player', 'external'] } }, ['name', 'source']) },
    required: ['errorDetails']
  },
  statesUpdate: {
    // The yaml requires neither list (its examples send one or both); an empty update is allowed.
    properties: { statesStart: stateList, statesEnd: stateList }
  },
  adBreakStart: {
    properties: { advertisingPodDetails: closed({ index: integer, offset: integer, friendlyName: string }, ['index', 'offset']) },
    required: ['advertisingPodDetails']
  },
  adBreakComplete: {},
  adStart: {
    properties: {
      // The yaml requires `name` (the ad id) but forgets it among the properties; it is a string
      // in the yaml's example.
      advertisingDetails: closed(
        {
          ...strings([
            'name',
            'playerName',
            'friendlyName',
            'advertiser',
            'campaignID',
            'creativeID',
            'creativeURL',
            'placementID',
            'siteID'
          ]),
          length: integer,
          podPosition: integer
        },
        ['name', 'length', 'playerName', 'podPosition']
      ),
      customMetadata
    },
    required: ['advertisingDetails']
  },
  adComplete: {},
  // The yaml's schema defaults adSkip's eventType to "media.adBreakSkip", but its example sends
  // "media.adSkip": the emulator wants "media." + the path's event type, as the digest says.
  adSkip: {},
  chapterStart: {
    properties: {
      chapterDetails: closed({ index: integer, offset: integer, length: integer, friendlyName: string }, ['index', 'offset', 'length']),
      customMetadata
    },
    required: ['chapterDetails']
  },
  chapterComplete: {},
  chapterSkip: {},
  sessionComplete: {},
  sessionEnd: {}
};

/** The event types of the Media Edge API's paths (`/va/v1/{eventType}`); not /downloaded. */
export const EDGE_EVENT_TYPES = Object.keys(events);

/** One JSON Schema per event type, for the one item `{ xdm }` of the body's `events`. */
export const edgeSchemas = Object.fromEntries(
  Object.entries(events).map(([eventType, spec]) => {
    const start = eventType === 'sessionStart';
    const mediaCollection = closed({ playhead, ...(start ? {} : { sessionID: string }), qoeDataDetails, ...spec.properties }, [
      'playhead',
      ...(start ? [] : ['sessionID']),
      ...(spec.required ?? [])
    ]);
    // The yaml lists identityMap on sessionStart (and /downloaded); its shape is checked wherever it comes.
    const xdm = {
      type: 'object',
      required: ['eventType', 'timestamp', 'mediaCollection'],
      properties: { eventType: { const: `media.${eventType}` }, timestamp, mediaCollection, identityMap, implementationDetails }
    };
    return [eventType, { $id: `edge:${eventType}`, ...closed({ xdm }, ['xdm']) }];
  })
);
