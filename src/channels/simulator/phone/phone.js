/* The simulated phone: shows the conversation as a 5G messaging app would and sends what the
   citizen does to the simulator, which passes it to the bot as the platform would. Every text
   shown comes from the page's own labels or from message content (set as text, never as HTML). */
/* global document, window, EventSource */
'use strict';

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';
const SHARED_CLIENT_DATA = 'application/vnd.gsma.botsharedclientdata.v1.0+json';
const FILE_TRANSFER = 'application/vnd.gsma.rcs-ft-http';
const HERE = { latitude: 22.5431, longitude: 114.0579 };

const params = new URLSearchParams(window.location.search);
const user = params.get('user') || 'tel:+8613800138000';
// The chatbot (one platform of one carrier) this phone talks to; the page lists them to pick from.
const platform = params.get('platform') || '';
const messagesEl = document.getElementById('messages');
const shownSeqs = new Set();
const rowsByMessageId = new Map();

const labels = {};
for (const span of document.getElementById('labels').content.querySelectorAll('span')) {
  labels[span.dataset.key] = span.textContent;
}

const { el, safeUrl } = window.CardView;

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function sendPart(part) {
  return post('/phone-api/send', { user, platform, part }).catch(() => showSheet('⚠️', labels.sendFailed, '', []));
}

function sendSuggestionResponse(kind, body) {
  const response = { [kind]: body };
  return sendPart({ contentType: SUGGESTION_RESPONSE, contentText: JSON.stringify({ response }) });
}

function sendLocation(latitude, longitude, label) {
  const text = `geo:${latitude},${longitude};crs=gcj02;u=10;rcs-l=${encodeURIComponent(label)}`;
  return sendPart({ contentType: 'text/plain', contentText: text });
}

// ---- the action sheet: what the phone would do for an action button ----

function hideSheet() {
  document.getElementById('sheet').classList.add('hidden');
}

function showSheet(icon, title, detail, buttons) {
  document.getElementById('sheet-icon').textContent = icon;
  document.getElementById('sheet-title').textContent = title;
  document.getElementById('sheet-detail').textContent = detail;
  const actions = document.getElementById('sheet-actions');
  actions.replaceChildren();
  for (const button of [...buttons, { label: labels.cancel }]) {
    const node = button.href ? el('a', button.primary ? 'primary' : '', button.label) : el('button', button.primary ? 'primary' : '', button.label);
    if (button.href) {
      node.href = button.href;
      node.target = '_blank';
      node.rel = 'noopener';
    } else {
      node.type = 'button';
    }
    node.addEventListener('click', () => {
      hideSheet();
      if (button.onClick) button.onClick();
    });
    actions.append(node);
  }
  document.getElementById('sheet').classList.remove('hidden');
}

function describeAction(action) {
  if (action.dialerAction) {
    const dial = action.dialerAction.dialPhoneNumber || action.dialerAction.dialEnrichedCall || action.dialerAction.dialVideoCall || {};
    const video = Boolean(action.dialerAction.dialVideoCall);
    return { icon: '📞', title: `${labels.dial} ${dial.phoneNumber || ''}`, detail: '', buttons: [{ label: video ? labels.videoCall : labels.call, href: `tel:${dial.phoneNumber || ''}`, primary: true }] };
  }
  if (action.urlAction) {
    const url = safeUrl(action.urlAction.openUrl && action.urlAction.openUrl.url);
    return { icon: '🌐', title: labels.openUrl, detail: url || '', buttons: url ? [{ label: labels.open, href: url, primary: true }] : [] };
  }
  if (action.mapAction && action.mapAction.showLocation) {
    const location = action.mapAction.showLocation.location || {};
    const where = location.query || `${location.latitude},${location.longitude}`;
    const label = location.label ? `${location.label}\n` : '';
    const href = location.query
      ? `https://uri.amap.com/search?keyword=${encodeURIComponent(location.query)}`
      : `https://uri.amap.com/marker?position=${location.longitude},${location.latitude}&name=${encodeURIComponent(location.label || '')}`;
    return { icon: '🗺️', title: labels.showMap, detail: `${label}${where}`, buttons: [{ label: labels.openMap, href, primary: true }] };
  }
  if (action.mapAction && action.mapAction.requestLocationPush) {
    return { icon: '📍', title: labels.requestLocation, detail: `${HERE.latitude},${HERE.longitude}`, buttons: [{ label: labels.shareLocation, primary: true, onClick: () => sendLocation(HERE.latitude, HERE.longitude, labels.currentLocation) }] };
  }
  if (action.calendarAction) {
    const event = action.calendarAction.createCalendarEvent || {};
    const detail = `${event.title || ''}\n${event.startTime || ''} – ${event.endTime || ''}${event.description ? `\n${event.description}` : ''}`;
    return { icon: '📅', title: labels.calendar, detail, buttons: [{ label: labels.addEvent, primary: true }] };
  }
  if (action.composeAction) {
    const compose = action.composeAction.composeTextMessage || action.composeAction.composeRecordingMessage || {};
    return { icon: '✉️', title: `${labels.compose} ${compose.phoneNumber || ''}`, detail: compose.text || compose.type || '', buttons: [{ label: labels.open, href: `sms:${compose.phoneNumber || ''}`, primary: true }] };
  }
  if (action.deviceAction) {
    const device = { deviceModel: 'Simulated Phone', platformVersion: 'Android 14', clientVendor: 'SIM', clientVersion: '1.0', batteryRemainingMinutes: 600 };
    const share = () => sendPart({ contentType: SHARED_CLIENT_DATA, contentText: JSON.stringify({ sharedData: { deviceSpecifics: device } }) });
    return { icon: '📱', title: labels.requestDevice, detail: device.deviceModel, buttons: [{ label: labels.shareDevice, primary: true, onClick: share }] };
  }
  return { icon: '⚙️', title: labels.settings, detail: '', buttons: [] };
}

/** Tapping a suggestion: a reply sends its postback; an action shows what the phone would do. */
function tap(suggestion) {
  if (suggestion.reply) {
    sendSuggestionResponse('reply', { displayText: suggestion.reply.displayText, postback: suggestion.reply.postback });
    return;
  }
  const action = suggestion.action || {};
  if (action.postback) sendSuggestionResponse('action', { displayText: action.displayText, postback: action.postback });
  const sheet = describeAction(action);
  showSheet(sheet.icon, sheet.title, sheet.detail, sheet.buttons);
}

const view = window.CardView.create({ onTap: tap, labels });

function renderUser(entry) {
  const row = el('div', 'row user');
  let text = entry.text;
  if (entry.contentType === 'text/plain' && /^geo:/.test(text)) text = `📍 ${labels.location} ${text.slice(4).split(';')[0]}`;
  else if (entry.contentType === SHARED_CLIENT_DATA) text = `📱 ${labels.device}`;
  else if (entry.contentType === FILE_TRANSFER) text = `📎 ${labels.file}`;
  row.append(el('div', 'bubble', text));
  return row;
}

function show(entry) {
  if (shownSeqs.has(entry.seq)) return;
  shownSeqs.add(entry.seq);
  if (entry.from === 'platform') {
    const row = rowsByMessageId.get(entry.revokedMessageId);
    if (row) row.replaceChildren(el('div', 'revoked', labels.revoked));
    return;
  }
  const row = entry.from === 'bot' ? view.renderBot(entry) : renderUser(entry);
  if (entry.from === 'bot') rowsByMessageId.set(entry.messageId, row);
  messagesEl.append(row);
  messagesEl.scrollTop = messagesEl.scrollHeight;
}

// ---- the fixed menu the chatbot set: top-level entries, each a button or a sub-menu ----

function hideSubmenu() {
  document.getElementById('submenu').classList.add('hidden');
}

function renderMenu(menu) {
  const bar = document.getElementById('menu');
  const entries = (menu && menu.menu && menu.menu.entries) || [];
  bar.replaceChildren();
  bar.classList.toggle('hidden', entries.length === 0);
  for (const entry of entries) {
    if (!entry.menu) {
      const button = view.suggestionButton(entry, '');
      button.addEventListener('click', hideSubmenu);
      bar.append(button);
      continue;
    }
    const opener = el('button', 'has-submenu', entry.menu.displayText);
    opener.type = 'button';
    opener.addEventListener('click', () => {
      const list = document.getElementById('submenu');
      const open = !list.classList.contains('hidden') && list.dataset.owner === entry.menu.displayText;
      list.replaceChildren(...(entry.menu.entries || []).map((sub) => {
        const button = view.suggestionButton(sub, '');
        button.addEventListener('click', hideSubmenu);
        return button;
      }));
      list.dataset.owner = entry.menu.displayText;
      list.classList.toggle('hidden', open);
    });
    bar.append(opener);
  }
}

// ---- start: follow live entries, then load what came before ----

function platformLabel(entry) {
  const key = entry.family === 'maap' ? `family-maap-${entry.dialect}` : `family-${entry.family}`;
  return entry.label || `${labels[key] || entry.family} · ${entry.id}`;
}

/** The carrier picker: another choice reloads the page for that chatbot (each keeps its own conversation). */
async function listPlatforms() {
  const picker = document.getElementById('platform');
  const { platforms } = await (await fetch('/phone-api/platforms')).json();
  for (const entry of platforms) {
    const option = el('option', '', platformLabel(entry));
    option.value = entry.id;
    option.selected = entry.id === platform;
    picker.append(option);
  }
  picker.hidden = platforms.length < 2;
  picker.addEventListener('change', () => {
    window.location.search = `?user=${encodeURIComponent(user)}&platform=${encodeURIComponent(picker.value)}`;
  });
}

async function start() {
  document.getElementById('user-number').textContent = user.replace(/^tel:/, '');
  await listPlatforms();
  const query = `user=${encodeURIComponent(user)}&platform=${encodeURIComponent(platform)}`;
  const events = new EventSource(`/phone-api/events?${query}`);
  events.onmessage = (event) => show(JSON.parse(event.data));
  const response = await fetch(`/phone-api/state?${query}`);
  const state = await response.json();
  document.getElementById('non5g').checked = state.non5g;
  renderMenu(state.menu);
  for (const entry of state.entries) show(entry);
  document.body.dataset.ready = 'true';
}

document.getElementById('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  sendPart({ contentType: 'text/plain', contentText: text });
});
document.getElementById('share-location').addEventListener('click', () => {
  showSheet('📍', labels.shareLocation, `${HERE.latitude},${HERE.longitude}`, [
    { label: labels.shareLocation, primary: true, onClick: () => sendLocation(HERE.latitude, HERE.longitude, labels.currentLocation) },
  ]);
});
document.getElementById('non5g').addEventListener('change', (event) => {
  post('/phone-api/terminal', { user, non5g: event.target.checked });
});
document.getElementById('sheet').addEventListener('click', (event) => {
  if (event.target.id === 'sheet') hideSheet();
});

start();
