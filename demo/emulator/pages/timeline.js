/* global document, window, fetch, setTimeout, URLSearchParams */
// The emulator's own page (`/__emulator/?scope=<scope>`): every request of a scope, in a table,
// and the scope's report drawn by the demo page's report.js. It only reads the control API.

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const clock = (ms) => (typeof ms === 'number' ? new Date(ms).toISOString().slice(11, 23) : '—');

/** What a request asked, in a few words: the event type, or the method and path. */
function what(record) {
  const api = record.api === 'edge' ? 'Edge' : 'MC API';
  return `${record.eventType ?? `${record.method} ${record.path}`} (${api})`;
}

function row(record) {
  const failed = record.status >= 400 || record.status === 207;
  const problems = [
    ...(record.errors || []).map((error) => `invalid: ${error}`),
    ...(record.violations || []).map((violation) => `violation: ${violation}`)
  ];
  if (failed && !problems.length && record.message) problems.push(record.message);
  const tr = el('tr');
  if (failed || (record.violations || []).length) tr.className = 'bad';
  tr.dataset.event = record.eventType ?? '';
  tr.appendChild(el('td', 'n', String(record.n)));
  tr.appendChild(el('td', 'time', clock(record.receivedAt)));
  tr.appendChild(el('td', 'event', what(record)));
  tr.appendChild(el('td', 'num', typeof record.playhead === 'number' ? String(record.playhead) : '—'));
  const status = el('td', 'http', String(record.status));
  if (failed || (record.violations || []).length) status.appendChild(el('span', 'flag', failed ? '✗ failed' : '✗ violation'));
  tr.appendChild(status);
  const sid = el('td', 'sid', record.sid ? `${record.sid.slice(0, 8)}…` : '—');
  if (record.sid) sid.title = record.sid;
  tr.appendChild(sid);
  const details = el('td', 'details');
  details.appendChild(el('span', 'kv', record.path));
  for (const problem of problems) details.appendChild(el('span', 'problem', problem));
  for (const warning of record.warnings || []) details.appendChild(el('span', 'kv', `warning: ${warning}`));
  tr.appendChild(details);
  return tr;
}

async function main() {
  const scope = new URLSearchParams(window.location.search).get('scope') || 'default';
  const select = $('scope');
  select.addEventListener('change', () => {
    window.location.search = `?scope=${encodeURIComponent(select.value)}`;
  });
  const base = `/__emulator/scopes/${encodeURIComponent(scope)}`;
  const body = document.querySelector('#timeline tbody');
  let last = 0;
  const seen = [];
  let counts = { requests: 0, failed: 0, violations: 0 };

  async function poll() {
    try {
      const listed = await (await fetch('/__emulator/scopes', { cache: 'no-store' })).json();
      const names = [...new Set([scope, ...listed.scopes.map((s) => s.scope)])];
      if (names.join() !== [...select.options].map((option) => option.value).join()) {
        select.replaceChildren(...names.map((name) => Object.assign(el('option', null, name), { value: name, selected: name === scope })));
      }
      const data = await (await fetch(`${base}/requests?since=${last}`, { cache: 'no-store' })).json();
      for (const record of data.records) {
        body.appendChild(row(record));
        seen.push(record);
        last = record.n;
        counts.requests += 1;
        if (record.status >= 400 || record.status === 207) counts.failed += 1;
        counts.violations += (record.violations || []).length;
      }
      if (data.records.length) {
        const report = await (await fetch(`${base}/report`, { cache: 'no-store' })).json();
        window.mediaReport.render($('report'), report, seen);
      }
      const summary = $('summary');
      summary.classList.remove('is-ok', 'is-error');
      if (counts.requests) {
        const clean = !counts.failed && !counts.violations;
        summary.textContent =
          `${clean ? '✓' : '✗'} ${counts.requests} requests, ${data.sessions.length} sessions, ` +
          `${counts.failed} error answers, ${counts.violations} sequence violations.`;
        summary.classList.add(clean ? 'is-ok' : 'is-error');
      }
    } catch (error) {
      $('summary').textContent = `Cannot reach the emulator (${error.message}); retrying.`;
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }
  poll();
}

main();
