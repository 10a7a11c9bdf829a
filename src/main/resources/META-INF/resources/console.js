// HMS-SYNC operator console: reads only the documented HTTP API (README, "Operator console").
'use strict';

const STATE_LIGHT = {
  committed: 'ok', rolled_back: 'off', prepared: 'wait', pending: 'wait',
  refused: 'bad', commit_failed: 'bad', rollback_failed: 'bad'
};

const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('hms-operator-token') || '';
tokenInput.addEventListener('change', () => sessionStorage.setItem('hms-operator-token', tokenInput.value));

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return node;
}

function lights(systems) {
  const cell = el('td', { class: 'systems' });
  Object.entries(systems || {}).forEach(([name, s]) => {
    cell.append(el('span', { class: 'system', 'data-system': name, 'data-state': s.state, title: s.error || s.state },
      el('span', { class: 'light ' + (STATE_LIGHT[s.state] || 'wait') }), name));
  });
  return cell;
}

function say(text) {
  const box = document.getElementById('message');
  box.textContent = text;
  box.style.display = 'block';
  setTimeout(() => { box.style.display = 'none'; }, 4000);
}

async function act(label, url, id) {
  if (!window.confirm(label + ' ' + id + '?')) return;
  const headers = {};
  if (tokenInput.value) headers.Authorization = 'Bearer ' + tokenInput.value;
  const response = await fetch(url, { method: 'POST', headers });
  const body = await response.json().catch(() => ({}));
  say(response.ok ? label + ': ' + id + ' ' + (body.status || 'accepted') : label + ' refused (' + response.status + '): ' + (body.error || ''));
  refresh();
}

function button(label, url, id) {
  const b = el('button', { 'data-action': label.toLowerCase().replace(/ /g, '-'), 'data-id': id }, label);
  b.addEventListener('click', event => { event.stopPropagation(); act(label, url, id); });
  return b;
}

async function showTimeline(id) {
  const lines = await (await fetch('/ledger?event_id=' + encodeURIComponent(id))).json();
  document.getElementById('timeline-id').textContent = id;
  const list = document.getElementById('timeline');
  list.replaceChildren(...lines.map(l => el('li', { class: l.result },
    l.time + '  ' + l.system.padEnd(13) + l.action.padEnd(12) + l.result
      + (l.attempt ? '  attempt ' + l.attempt : '') + (l.latency_ms != null ? '  ' + l.latency_ms + ' ms' : '')
      + (l.error ? '  ' + l.error : ''))));
}

async function refreshEvents() {
  const events = await (await fetch('/events?limit=50')).json();
  document.querySelector('#events tbody').replaceChildren(...events.map(e => {
    const actions = el('td');
    if (e.status === 'committed') actions.append(button('Undo', '/events/' + encodeURIComponent(e.id) + '/rollback', e.id));
    const row = el('tr', { class: 'event', 'data-id': e.id, 'data-status': e.status },
      el('td', {}, e.id), el('td', {}, e.type), el('td', { class: 'status-' + e.status }, e.status),
      lights(e.systems), el('td', {}, (e.updated_at || '').replace('T', ' ').replace('Z', '')), actions);
    row.addEventListener('click', () => showTimeline(e.id));
    return row;
  }));
}

async function refreshDlq() {
  const parked = await (await fetch('/dlq')).json();
  document.querySelector('#dlq tbody').replaceChildren(...parked.map(p => {
    const actions = el('td');
    const names = { replay: 'Replay', retry_straggler: 'Retry straggler', roll_back_rest: 'Roll back rest' };
    Object.entries(p.actions || {}).forEach(([key, url]) => actions.append(button(names[key] || key, url, p.id)));
    return el('tr', { class: 'parked', 'data-id': p.id, 'data-status': p.status },
      el('td', {}, p.id), el('td', { class: 'status-' + p.status }, p.status), el('td', {}, p.reason), lights(p.systems), actions);
  }));
}

/** A few numbers off /observe/metrics (Prometheus text). */
async function refreshNumbers() {
  const text = await (await fetch('/observe/metrics')).text();
  const value = (name, labels) => {
    const line = text.split('\n').find(l => l.startsWith(name) && (!labels || labels.every(x => l.includes(x))));
    return line ? Number(line.trim().split(' ').pop()) : null;
  };
  const put = (id, v) => { document.querySelector('#' + id + ' b').textContent = v == null ? '–' : v; };
  put('n-dlq', value('sync_dlq_events'));
  put('n-inflight', value('sync_inflight_events'));
  ['committed', 'rolled_back', 'needs_attention'].forEach(s => put('n-' + s, value('sync_events_total', ['status="' + s + '"'])));
  const phases = ['prepare', 'commit', 'rollback'].map(phase => {
    let sum = 0; let count = 0;
    text.split('\n').filter(l => l.includes('phase="' + phase + '"')).forEach(l => {
      if (l.startsWith('sync_latency_ms_sum')) sum += Number(l.split(' ').pop());
      if (l.startsWith('sync_latency_ms_count')) count += Number(l.split(' ').pop());
    });
    return count ? phase + ' ' + (sum / count).toFixed(1) + ' ms' : null;
  }).filter(Boolean);
  put('n-latency', phases.length ? phases.join(', ') : null);
}

async function refresh() {
  try {
    await Promise.all([refreshEvents(), refreshDlq(), refreshNumbers()]);
  } catch (e) {
    say('the hub does not answer: ' + e.message);
  }
}

refresh();
setInterval(refresh, 1500);
