// The demo page's report: per session, what Adobe's reports will say (the emulator's metrics,
// GET /__emulator/scopes/<scope>/report) and a picture of the session, one band over time of
// what the API was told: content playing, paused, buffering, ad breaks and their ads, and the
// chapters under it, with the requests that failed or broke a sequence rule marked in red as the
// timeline marks them.
//
// Text and shapes only: every string from the emulator (ad ids, chapter names, notes) is set as
// textContent, never parsed as HTML.
//
// window.mediaReport.render(container, report, records): `report` is the route's JSON
// ({ sessions: [{ sid, state, metrics, picture }] }), `records` the requests the page has seen
// (for the session's name and its marked requests).

(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';

  /** Adobe's groups of its metrics (Media Core, Ads, Chapters, Quality), in its order, in three columns. */
  var GROUPS = [
    {
      title: 'Content',
      column: 0,
      names: [
        'Media starts',
        'Content resumes',
        'Content starts',
        'Content completes',
        'Content time spent',
        'Media time spent',
        'Pause events',
        'Total pause duration'
      ]
    },
    { title: 'Ads', column: 1, names: ['Ad breaks', 'Ad starts', 'Ad completes', 'Ad time spent'] },
    { title: 'Chapters', column: 1, names: ['Chapter starts', 'Chapter completes', 'Chapter time spent'] },
    {
      title: 'Quality',
      column: 2,
      names: [
        'Time to start',
        'Average bitrate',
        'Bitrate changes',
        'Buffer events',
        'Total buffer duration',
        'Dropped frames',
        'Error events'
      ]
    }
  ];

  /** The band's spans: their label in the legend and their class (colours in style.css). */
  var KINDS = [
    ['content', 'content playing'],
    ['ad', 'ad playing'],
    ['break', 'in a break, between ads'],
    ['paused', 'paused'],
    ['buffering', 'buffering'],
    ['starting', 'starting (before the first play)']
  ];

  var STATES = {
    open: 'open: the figures so far, up to its last event',
    complete: 'complete (sessionComplete): Adobe closes it when it times out',
    closed: 'closed'
  };

  // The drawing's rows, in px.
  var PAD = 8;
  var BREAK_Y = 2;
  var BAND_Y = 18;
  var BAND_H = 26;
  var CHAPTER_Y = 48;
  var CHAPTER_H = 14;
  var AXIS_Y = 66;
  var HEIGHT = 84;

  /** Sessions whose card, or whose notes, the viewer opened or closed, by sid (the newest card is open). */
  var toggled = {};
  var notesToggled = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attributes, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A tooltip on an SVG shape: a <title> child, as text. */
  function titled(node, text) {
    node.appendChild(svg('title', {}, text));
    return node;
  }

  function twoDigits(n) {
    return String(n).padStart(2, '0');
  }

  /** A metric's value as text: seconds with a decimal (and H:MM:SS from a minute, as Workspace shows it). */
  function valueText(metric) {
    var value = metric.value;
    if (value === null || value === undefined) return '—';
    if (metric.unit === 's') {
      var text = (Math.round(value * 10) / 10).toFixed(1) + ' s';
      if (value < 60) return text;
      var total = Math.round(value);
      return text + ' (' + Math.floor(total / 3600) + ':' + twoDigits(Math.floor(total / 60) % 60) + ':' + twoDigits(total % 60) + ')';
    }
    if (metric.unit === 'kbps') return value + ' kbps';
    return String(value);
  }

  /** A tick step that puts about `count` ticks on `seconds`. */
  function tickStep(seconds, count) {
    var steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
    for (var i = 0; i < steps.length; i++) if (seconds / steps[i] <= count) return steps[i];
    return steps[steps.length - 1];
  }

  /** Whether the timeline marks a request (status 400 or more, the Edge's 207, or a sequence violation). */
  function flagged(record) {
    return record.status >= 400 || record.status === 207 || (record.violations || []).length > 0;
  }

  function recordText(record) {
    var problems = (record.errors || []).concat(record.violations || []);
    if (!problems.length && record.message) problems.push(record.message);
    return (
      '#' +
      record.n +
      ' ' +
      (record.eventType || record.method + ' ' + record.path) +
      ' (HTTP ' +
      record.status +
      '): ' +
      problems.join('; ')
    );
  }

  /** Draws one session: the band, the breaks over it, the chapters under it, the axis and the marks. */
  function drawing(session, records, width) {
    var picture = session.picture;
    var marked = records.filter(function (record) {
      return record.sid === session.sid && flagged(record) && typeof record.ts === 'number';
    });
    var times = [picture.start, picture.end].concat(
      marked.map(function (record) {
        return record.ts;
      })
    );
    times = times.filter(function (ts) {
      return typeof ts === 'number';
    });
    var root = svg('svg', { class: 'band', width: width, height: HEIGHT, viewBox: '0 0 ' + width + ' ' + HEIGHT, role: 'img' });
    if (!times.length) return root;
    var from = Math.min.apply(null, times);
    var to = Math.max(Math.max.apply(null, times), from + 1000);
    var scale = (width - 2 * PAD) / (to - from);
    var x = function (ts) {
      return PAD + (ts - from) * scale;
    };
    var seconds = function (ts) {
      return (Math.round((ts - from) / 100) / 10).toFixed(1) + ' s';
    };
    var span = function (a, b) {
      return seconds(a) + ' – ' + seconds(b);
    };
    /** A label that fits in `w` px, or none (the shape's tooltip says it all). */
    var label = function (text, left, w, y, className) {
      if (!text || text.length * 6.2 + 4 > w) return;
      root.appendChild(svg('text', { x: left + w / 2, y: y, class: className, 'text-anchor': 'middle' }, text));
    };

    root.appendChild(svg('rect', { x: PAD, y: BAND_Y, width: width - 2 * PAD, height: BAND_H, class: 'band-empty' }));
    picture.spans.forEach(function (s) {
      var left = x(s.from);
      var w = Math.max(x(s.to) - left, 0.5);
      var kind = KINDS.find(function (k) {
        return k[0] === s.kind;
      });
      root.appendChild(
        titled(
          svg('rect', { x: left, y: BAND_Y, width: w, height: BAND_H, class: 'span-' + s.kind }),
          (kind ? kind[1] : s.kind) + ', ' + span(s.from, s.to)
        )
      );
    });
    // Each ad: a white edge where it starts, its id and how it ended in a tooltip, a skip marked.
    picture.ads.forEach(function (ad, i) {
      var left = x(ad.from);
      var w = Math.max(x(ad.to) - left, 0.5);
      var how = ad.end === 'complete' ? 'completed' : ad.end === 'skip' ? 'skipped' : 'not completed';
      root.appendChild(
        titled(
          svg('rect', { x: left, y: BAND_Y, width: w, height: BAND_H, class: 'ad-outline' }),
          'ad ' + (ad.id || '?') + (ad.name ? ' (' + ad.name + ')' : '') + ', ' + how + ', ' + span(ad.from, ad.to)
        )
      );
      label(ad.end === 'skip' ? 'skip' : 'ad ' + (i + 1), left, w, BAND_Y + BAND_H / 2 + 4, 'band-label');
    });
    picture.breaks.forEach(function (b) {
      var left = x(b.from);
      var w = Math.max(x(b.to) - left, 1);
      var name = b.name || 'break ' + (b.index === null ? '' : b.index);
      root.appendChild(
        titled(
          svg('path', {
            d: 'M' + left + ' ' + (BAND_Y - 2) + 'V' + (BREAK_Y + 2) + 'H' + (left + w) + 'V' + (BAND_Y - 2),
            class: 'break-bracket'
          }),
          'ad break ' + name + (b.closed ? '' : ' (no adBreakComplete)') + ', ' + span(b.from, b.to)
        )
      );
      label(name, left, Math.max(w, 60), BREAK_Y + 10, 'break-label');
    });
    picture.chapters.forEach(function (c, i) {
      var left = x(c.from);
      var w = Math.max(x(c.to) - left, 0.5);
      var name = (c.index === null ? '' : c.index + ' ') + (c.name || '');
      var how = c.end === 'complete' ? 'completed' : c.end === 'skip' ? 'skipped' : 'open or not completed';
      root.appendChild(
        titled(
          svg('rect', { x: left, y: CHAPTER_Y, width: w, height: CHAPTER_H, class: 'chapter chapter-' + (i % 2) }),
          'chapter ' + name.trim() + ', ' + how + ', ' + span(c.from, c.to)
        )
      );
      label(name.trim(), left, w, CHAPTER_Y + CHAPTER_H - 3, 'chapter-label');
    });
    // The axis: seconds since the session's first event.
    var step = tickStep((to - from) / 1000, Math.max(2, Math.floor(width / 90)));
    for (var t = 0; from + t * 1000 <= to; t += step) {
      var tx = x(from + t * 1000);
      root.appendChild(svg('line', { x1: tx, x2: tx, y1: AXIS_Y - 2, y2: AXIS_Y + 2, class: 'axis' }));
      root.appendChild(svg('text', { x: tx, y: AXIS_Y + 13, class: 'axis-label', 'text-anchor': t === 0 ? 'start' : 'middle' }, t + ' s'));
    }
    root.appendChild(svg('line', { x1: PAD, x2: width - PAD, y1: AXIS_Y, y2: AXIS_Y, class: 'axis' }));
    // The end of the content, errors, and the marked requests (red, as in the timeline).
    picture.marks.forEach(function (mark) {
      var mx = x(mark.ts);
      var error = mark.eventType === 'error';
      root.appendChild(
        titled(
          svg('line', { x1: mx, x2: mx, y1: BAND_Y - 4, y2: CHAPTER_Y + CHAPTER_H, class: error ? 'mark-error' : 'mark-end' }),
          mark.eventType + ' at ' + seconds(mark.ts)
        )
      );
    });
    marked.forEach(function (record) {
      var mx = x(record.ts);
      var shape = svg('g', { class: 'mark-bad' });
      shape.appendChild(svg('line', { x1: mx, x2: mx, y1: BREAK_Y, y2: CHAPTER_Y + CHAPTER_H }));
      shape.appendChild(svg('path', { d: 'M' + (mx - 5) + ' ' + BREAK_Y + 'H' + (mx + 5) + 'L' + mx + ' ' + (BREAK_Y + 8) + 'Z' }));
      root.appendChild(titled(shape, '✗ ' + recordText(record)));
    });
    return root;
  }

  function legend() {
    var list = el('ul', 'legend');
    KINDS.forEach(function (kind) {
      var item = el('li');
      item.appendChild(el('span', 'swatch span-' + kind[0]));
      item.appendChild(document.createTextNode(kind[1]));
      list.appendChild(item);
    });
    [
      ['swatch-break', 'ad break'],
      ['swatch-chapter', 'chapters'],
      ['swatch-bad', 'request failed or broke a rule']
    ].forEach(function (pair) {
      var item = el('li');
      item.appendChild(el('span', 'swatch ' + pair[0]));
      item.appendChild(document.createTextNode(pair[1]));
      list.appendChild(item);
    });
    return list;
  }

  function metricsTable(session) {
    var byName = {};
    session.metrics.forEach(function (metric) {
      byName[metric.name] = metric;
    });
    var grid = el('div', 'metrics');
    var columns = [el('div', 'metric-column'), el('div', 'metric-column'), el('div', 'metric-column')];
    columns.forEach(function (column) {
      grid.appendChild(column);
    });
    var notes = [];
    var groups = GROUPS.concat([
      {
        title: 'Other',
        column: 2,
        names: session.metrics
          .map(function (m) {
            return m.name;
          })
          .filter(function (name) {
            return !GROUPS.some(function (g) {
              return g.names.indexOf(name) >= 0;
            });
          })
      }
    ]);
    groups.forEach(function (group) {
      var found = group.names.filter(function (name) {
        return byName[name];
      });
      if (!found.length) return;
      var box = el('section', 'metric-group');
      box.appendChild(el('h4', null, group.title));
      var list = el('dl');
      found.forEach(function (name) {
        var metric = byName[name];
        var row = el('div', 'metric');
        row.dataset.name = name;
        var term = el('dt', 'metric-name', name);
        if (metric.note) {
          notes.push(metric);
          row.title = metric.note;
          term.appendChild(el('sup', 'note-ref', String(notes.length)));
        }
        row.appendChild(term);
        row.appendChild(el('dd', 'metric-value', valueText(metric)));
        list.appendChild(row);
      });
      box.appendChild(list);
      columns[group.column].appendChild(box);
    });
    var fragment = document.createDocumentFragment();
    fragment.appendChild(grid);
    if (notes.length) {
      var details = el('details', 'notes');
      details.open = notesToggled[session.sid] === true;
      details.addEventListener('toggle', function () {
        notesToggled[session.sid] = details.open;
      });
      details.appendChild(el('summary', null, 'How the noted figures are counted, and what only Adobe knows'));
      var list = el('ol');
      notes.forEach(function (metric) {
        var item = el('li');
        item.appendChild(el('strong', null, metric.name + ': '));
        item.appendChild(document.createTextNode(metric.note));
        list.appendChild(item);
      });
      details.appendChild(list);
      fragment.appendChild(details);
    }
    return fragment;
  }

  /**
   * The media name of a session, from its sessionStart request: the Media Collection API's 201
   * (`params`), or the Edge's 200 (the XDM's `mediaCollection.sessionDetails`, where the name is
   * `friendlyName` and the id `name`).
   */
  function mediaName(session, records) {
    var start = records.find(function (record) {
      return record.sid === session.sid && record.eventType === 'sessionStart' && (record.status === 201 || record.status === 200);
    });
    var body = start && start.body && typeof start.body === 'object' ? start.body : null;
    var name;
    if (start && start.api === 'edge') {
      var xdm = body && Array.isArray(body.events) && body.events[0] && body.events[0].xdm;
      var details = xdm && xdm.mediaCollection && xdm.mediaCollection.sessionDetails;
      name = details && typeof details === 'object' ? details.friendlyName || details.name : null;
    } else {
      var params = body ? body.params : null;
      name = params && (params['media.name'] || params['media.id']);
    }
    return typeof name === 'string' ? name : 'media';
  }

  /**
   * Renders the report into `container`, newest session first.
   * @param {HTMLElement} container
   * @param {{ sessions: Array<{ sid: string, state: string, metrics: Array<object>, picture: object }> }} report
   * @param {Array<object>} records
   */
  function render(container, report, records) {
    var sessions = (report && Array.isArray(report.sessions) ? report.sessions : []).slice().reverse();
    container.replaceChildren();
    if (!sessions.length) {
      container.appendChild(el('p', 'hint', 'No session yet: the report appears with the first sessionStart.'));
      return;
    }
    container.appendChild(legend());
    var width = Math.max(240, Math.floor(container.clientWidth - 26));
    sessions.forEach(function (session, i) {
      var card = el('details', 'session-report');
      card.dataset.sid = session.sid;
      card.open = Object.prototype.hasOwnProperty.call(toggled, session.sid) ? toggled[session.sid] : i === 0;
      card.addEventListener('toggle', function () {
        toggled[session.sid] = card.open;
      });
      var summary = el('summary');
      summary.appendChild(el('strong', null, mediaName(session, records)));
      var sid = el('code', 'report-sid', session.sid.slice(0, 8) + '…');
      sid.title = session.sid;
      summary.appendChild(document.createTextNode(' '));
      summary.appendChild(sid);
      summary.appendChild(el('span', 'report-state', STATES[session.state] || session.state));
      var bad = records.filter(function (record) {
        return record.sid === session.sid && flagged(record);
      }).length;
      if (bad) summary.appendChild(el('span', 'flag-inline', '✗ ' + bad + (bad === 1 ? ' request marked' : ' requests marked')));
      card.appendChild(summary);
      card.appendChild(drawing(session, records, width));
      card.appendChild(metricsTable(session));
      container.appendChild(card);
    });
  }

  window.mediaReport = { render: render };
})();
