// What the emulator's own tests share (emulator.test.ts, metrics.test.ts).

/** 2026-01-01T00:00:00Z, second of the day 0. */
export const T0 = 1767225600000;

/** The sessionStart params of a valid VOD session of 60 s. */
export const PARAMS = {
  'analytics.trackingServer': 'example.sc.omtrdc.net',
  'analytics.reportSuite': 'rsid',
  'visitor.marketingCloudOrgId': 'ABC@AdobeOrg',
  'media.id': 'ep-1',
  'media.length': 60,
  'media.contentType': 'vod',
  'media.playerName': 'video.js',
  'media.channel': 'web'
};
