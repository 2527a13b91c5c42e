// What the unit tests share: the plugin's (helpers.ts) and the emulator's (emulator.test.ts,
// metrics.test.ts).

/** 2026-01-01T00:00:00Z, second of the day 0: the fake clock starts here. */
export const T0 = 1767225600000;

/** The test account: the params every sessionStart of the Media Collection API needs of it. */
export const ACCOUNT = {
  'analytics.trackingServer': 'example.sc.omtrdc.net',
  'analytics.reportSuite': 'rsid',
  'visitor.marketingCloudOrgId': 'ABC@AdobeOrg'
};

/** The sessionStart params of a valid VOD session of 60 s. */
export const PARAMS = {
  ...ACCOUNT,
  'media.id': 'ep-1',
  'media.length': 60,
  'media.contentType': 'vod',
  'media.playerName': 'video.js',
  'media.channel': 'web'
};

/** An ad with every field the tracker API takes. */
export const AD = {
  id: 'a1',
  length: 15,
  position: 1,
  playerName: 'p',
  name: 'Sale',
  advertiser: 'Acme',
  campaignId: 'c',
  creativeId: 'cr',
  creativeURL: 'https://ads.example.com/a.mp4',
  placementId: 'pl',
  siteId: 's',
  customMetadata: { 'acme.slot': 'A' }
};
