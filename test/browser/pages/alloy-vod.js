// A player's integration of Adobe's Web SDK (alloy), as a site would write it: one VOD with a
// pre-roll of one ad, the content's load after the ad as a stall, two chapters, a muted state and
// a pause, reported through the Web SDK's streamingMedia commands (createMediaSession,
// sendMediaEvent) or through its legacy tracker (getMediaAnalyticsTracker). The calls are not
// chained: the Web SDK sends each event as soon as its session exists, as a player would call it.
//
// window.playVod({ mode: 'streaming' | 'legacy', config, media: { ad, content } }) resolves with
// `marks` (each event as the page sent it: its name and Date.now()), `sessionId` (what the Web
// SDK read from the sessionStart's answer) and `outcomes` (how each of the Web SDK's promises
// settled), for the test to compare with the emulator's records and report.
(function () {
  'use strict';

  /** Resolves once Date.now() has moved on: Adobe wants a session's events at least 1 ms apart. */
  function nextMs() {
    var start = Date.now();
    return new Promise(function (resolve) {
      (function check() {
        if (Date.now() > start) resolve();
        else setTimeout(check, 0);
      })();
    });
  }

  function once(target, type) {
    return new Promise(function (resolve) {
      target.addEventListener(type, resolve, { once: true });
    });
  }

  /** Resolves when the video's playhead reaches `seconds`. */
  function reach(video, seconds) {
    return new Promise(function (resolve) {
      function check() {
        if (video.currentTime < seconds) return;
        video.removeEventListener('timeupdate', check);
        resolve();
      }
      video.addEventListener('timeupdate', check);
    });
  }

  var DETAILS = { name: 'short', friendlyName: 'Short VOD', length: 6, contentType: 'vod', streamType: 'video' };

  /** The Web SDK's streamingMedia: the playhead is read from the player when each event is sent. */
  function streaming(alloy, playhead) {
    var playerId = 'vod-player';
    function send(type, mediaCollection) {
      // No `mediaCollection: undefined`: the Web SDK merges the caller's xdm last, over the playhead and session id it adds.
      var xdm = mediaCollection ? { eventType: 'media.' + type, mediaCollection: mediaCollection } : { eventType: 'media.' + type };
      return alloy('sendMediaEvent', { playerId: playerId, xdm: xdm });
    }
    return {
      sessionStart: function () {
        return alloy('createMediaSession', {
          playerId: playerId,
          getPlayerDetails: function () {
            return { playhead: playhead() };
          },
          xdm: { mediaCollection: { sessionDetails: DETAILS } }
        });
      },
      adBreakStart: function () {
        return send('adBreakStart', { advertisingPodDetails: { friendlyName: 'pre-roll', index: 1, offset: 0 } });
      },
      adStart: function () {
        return send('adStart', { advertisingDetails: { name: 'ad-1', friendlyName: 'Ad 1', length: 2, podPosition: 1 } });
      },
      chapterStart: function (index) {
        return send('chapterStart', {
          chapterDetails: { friendlyName: 'Part ' + index, index: index, offset: (index - 1) * 3, length: 3 }
        });
      },
      stateStart: function (name) {
        return send('statesUpdate', { statesStart: [{ name: name }] });
      },
      stateEnd: function (name) {
        return send('statesUpdate', { statesEnd: [{ name: name }] });
      },
      event: send,
      playhead: function () {}
    };
  }

  /** The legacy tracker (the Media SDK 3.x API on the Web SDK): the player pushes its playhead. */
  function legacy(media) {
    var tracker = media.getInstance();
    var names = { play: 'trackPlay', pauseStart: 'trackPause', sessionComplete: 'trackComplete' };
    return {
      sessionStart: function () {
        return tracker.trackSessionStart(media.createMediaObject('Short VOD', 'short', 6, media.StreamType.VOD, media.MediaType.Video));
      },
      adBreakStart: function () {
        return tracker.trackEvent(media.Event.AdBreakStart, media.createAdBreakObject('pre-roll', 1, 0));
      },
      adStart: function () {
        return tracker.trackEvent(media.Event.AdStart, media.createAdObject('Ad 1', 'ad-1', 1, 2));
      },
      chapterStart: function (index) {
        return tracker.trackEvent(media.Event.ChapterStart, media.createChapterObject('Part ' + index, index, 3, (index - 1) * 3));
      },
      stateStart: function (name) {
        return tracker.trackEvent(media.Event.StateStart, media.createStateObject(name));
      },
      stateEnd: function (name) {
        return tracker.trackEvent(media.Event.StateEnd, media.createStateObject(name));
      },
      event: function (type) {
        if (names[type]) return tracker[names[type]]();
        // adComplete, adBreakComplete, bufferStart, chapterComplete: the tracker's events of the same name.
        return tracker.trackEvent(type);
      },
      playhead: function (seconds) {
        tracker.updatePlayhead(seconds);
      }
    };
  }

  window.playVod = async function (options) {
    var alloy = window.alloy;
    await alloy('configure', options.config);
    var video = document.getElementById('video');
    var content = false;
    var playhead = function () {
      return content ? video.currentTime : 0;
    };
    var client = options.mode === 'legacy' ? legacy(await alloy('getMediaAnalyticsTracker', {})) : streaming(alloy, playhead);
    var marks = [];
    var pending = [];
    /** Sends one event as the player sees it happen, without waiting for the Web SDK. */
    async function report(what, call) {
      await nextMs();
      marks.push({ what: what, at: Date.now() });
      pending.push(Promise.resolve(call()));
    }
    video.addEventListener('timeupdate', function () {
      client.playhead(playhead());
    });

    // The viewer presses play: the session opens, and the pre-roll plays.
    video.src = options.media.ad;
    var playing = once(video, 'playing');
    await video.play();
    await report('sessionStart', client.sessionStart);
    await report('adBreakStart', client.adBreakStart);
    await report('adStart', client.adStart);
    await playing;
    await report('play', function () {
      return client.event('play');
    });
    await once(video, 'ended');
    await report('adComplete', function () {
      return client.event('adComplete');
    });
    await report('adBreakComplete', function () {
      return client.event('adBreakComplete');
    });

    // The content loads: the player stalls until it plays.
    await report('bufferStart', function () {
      return client.event('bufferStart');
    });
    content = true;
    video.src = options.media.content;
    playing = once(video, 'playing');
    await video.play();
    await playing;
    await report('chapterStart', function () {
      return client.chapterStart(1);
    });
    await report('play', function () {
      return client.event('play');
    });

    await reach(video, 1);
    video.muted = true;
    await report('stateStart', function () {
      return client.stateStart('mute');
    });
    await reach(video, 2);
    video.muted = false;
    await report('stateEnd', function () {
      return client.stateEnd('mute');
    });
    await reach(video, 3);
    await report('chapterComplete', function () {
      return client.event('chapterComplete');
    });
    await report('chapterStart', function () {
      return client.chapterStart(2);
    });

    // The viewer pauses for half a second.
    await reach(video, 4);
    video.pause();
    await report('pauseStart', function () {
      return client.event('pauseStart');
    });
    await new Promise(function (resolve) {
      setTimeout(resolve, 500);
    });
    playing = once(video, 'playing');
    await video.play();
    await playing;
    await report('play', function () {
      return client.event('play');
    });

    await once(video, 'ended');
    await report('chapterComplete', function () {
      return client.event('chapterComplete');
    });
    await report('sessionComplete', function () {
      return client.event('sessionComplete');
    });

    var outcomes = await Promise.allSettled(pending);
    return {
      marks: marks,
      // What the Web SDK read from the sessionStart's answer.
      sessionId: outcomes[0].status === 'fulfilled' && outcomes[0].value ? outcomes[0].value.sessionId : null,
      outcomes: outcomes.map(function (outcome) {
        return outcome.status === 'fulfilled' ? 'fulfilled' : 'rejected: ' + (outcome.reason && outcome.reason.message);
      })
    };
  };
})();
