// A local ad integration on videojs-contrib-ads, shared by the demo page and the browser tests
// (test/browser/ads.test.ts): it plays short ad clips served with the page in the content's own
// video element, as simple contrib-ads integrations do, with no ad server, no VAST and no
// network beyond the clips. contrib-ads blocks the content, prefixes the ad's media events
// (`adplaying`, `adended`, …), and saves and restores the content around each break.
//
// It is a stand-in for an ad plugin (IMA or a site's own), not a product: one pre-roll break and
// at most one mid-roll break per media item, no post-roll (a post-roll played in the recycled
// element never ends in Chromium: videojs-contrib-ads issue #497), mid-rolls on VOD only. Not for
// live content either: after a live stream, the clip in the recycled element starts at its end.
// Remote text tracks (chapters, captions) must be added with manualCleanup = true, or video.js
// removes them when the first ad's source is set.
//
// It tells contrib-ads' common interface what an ad plugin would: `ads-ad-started` with
// `player.ads.ad = { id, duration, index, type }` as each ad starts, `ads-ad-ended` when one
// plays to its end, `ads-ad-skipped` when the viewer skips one (simulated: `skipAfter`), and
// `adserror` when a clip cannot play.

(function () {
  'use strict';

  /**
   * Sets up contrib-ads and this integration on `player`. Call it in the same tick as
   * `videojs()`, before the first source loads (contrib-ads must see the first `loadstart`).
   *
   * `schedule()` is read at each ad opportunity (the pre-roll at the first play of a media item,
   * the mid-roll at each content `timeupdate`), so a page may change what it returns at any time:
   *
   *   { preroll: [ad, …] | null, midroll: { at: seconds, ads: [ad, …] } | null }, or null: no ads
   *
   * where an ad is `{ id, src, type?, skipAfter? }`: its id, its clip (`type` defaults to
   * video/mp4) and, to simulate a viewer who skips it, the second of the ad at which that happens.
   *
   * `adsOptions` go to `player.ads()` (contrib-ads' timeout and so on).
   */
  function localAds(player, schedule, adsOptions) {
    // The snapshot (restore the content after each break) also for live content: this
    // integration plays ads in the content's element, never behind it.
    player.ads(Object.assign({ liveCuePoints: false }, adsOptions));

    // Whether the mid-roll of the current media item has played (or been passed by).
    var midrollPlayed = false;

    /** The ad plugin is ready for a media item: no post-roll for it, ever. */
    function ready() {
      midrollPlayed = false;
      player.trigger('nopostroll');
      player.trigger('adsready');
    }

    /** Plays `ads` one after another in a break, then resumes the content. */
    function playBreak(ads) {
      player.ads.startLinearAdMode();
      playAd(ads, 0);
    }

    function playAd(ads, index) {
      if (index >= ads.length) {
        player.ads.ad = null;
        player.ads.endLinearAdMode();
        return;
      }
      var ad = ads[index];
      var started = false;
      var listeners = [];
      var listen = function (type, listener) {
        player.on(type, listener);
        listeners.push([type, listener]);
      };
      /** This ad is over: tell contrib-ads' listeners how (`ads-ad-ended`, …) and go on. */
      var finish = function (type) {
        listeners.forEach(function (pair) {
          player.off(pair[0], pair[1]);
        });
        player.trigger(type);
        if (type === 'adserror') {
          // contrib-ads ends the break itself on adserror; the player must not keep the ad's error.
          player.ads.ad = null;
          player.error(null);
        } else {
          playAd(ads, index + 1);
        }
      };

      // In a break the clip's media events come prefixed with "ad".
      listen('adplaying', function () {
        if (started) return;
        started = true;
        player.ads.ad = { type: 'LINEAR', index: index, id: ad.id, duration: player.duration() };
        player.trigger({ type: 'ads-ad-started', indexInBreak: index });
      });
      listen('adtimeupdate', function () {
        if (started && typeof ad.skipAfter === 'number' && player.currentTime() >= ad.skipAfter) finish('ads-ad-skipped');
      });
      listen('adended', function () {
        finish('ads-ad-ended');
      });
      listen('aderror', function () {
        finish('adserror');
      });
      // contrib-ads starts a pre-roll's first clip by itself; every other clip is started here.
      listen('adcanplay', function () {
        if (player.paused()) {
          var promise = player.play();
          if (promise && promise.catch) promise.catch(function () {});
        }
      });
      player.src({ src: ad.src, type: ad.type || 'video/mp4' });
    }

    player.on('readyforpreroll', function () {
      var ads = (schedule() || {}).preroll;
      if (ads && ads.length) playBreak(ads);
      else player.ads.skipLinearAdMode();
    });

    player.on('timeupdate', function () {
      var midroll = (schedule() || {}).midroll;
      if (midrollPlayed || !midroll || !midroll.ads || !midroll.ads.length) return;
      if (player.ads.isInAdMode() || !isFinite(player.duration()) || player.currentTime() < midroll.at) return;
      midrollPlayed = true;
      playBreak(midroll.ads);
    });

    // A new media item restarts contrib-ads' workflow: the ad plugin must say it is ready again.
    player.on('contentchanged', ready);
    ready();
  }

  window.localAds = localAds;
})();
