/* The preview page: fetches every template rendered with its samples and draws each message with
   the phone page's own drawing (cardView.js); reloads when the server says cards/ changed. */
/* global document, window, EventSource */
'use strict';

const labels = {};
for (const span of document.getElementById('labels').content.querySelectorAll('span')) labels[span.dataset.key] = span.textContent;
const { el } = window.CardView;

function describeTap(suggestion) {
  const body = suggestion.reply || suggestion.action || {};
  if (body.postback) return `${labels.tapped}${body.postback.data}`;
  const action = Object.keys(body).find((key) => key !== 'displayText' && key !== 'postback');
  return `${labels.tapped}${action ? JSON.stringify(body[action]) : ''}`;
}

function drawSample(sample) {
  const box = el('div', 'sample');
  const phone = el('div', 'sample-phone');
  phone.append(el('div', 'sample-name', sample.name));
  const note = el('div', 'tapped');
  const view = window.CardView.create({ labels, onTap: (suggestion) => { note.textContent = describeTap(suggestion); } });
  if (sample.parts) {
    const row = view.renderBot({ messageId: sample.name, parts: sample.parts });
    phone.append(row);
  }
  phone.append(note);
  const side = el('div', 'sample-side');
  side.append(el('h3', '', labels.problems));
  if (sample.problems.length === 0) side.append(el('p', 'ok', labels.noProblems));
  for (const problem of sample.problems) side.append(el('p', 'problem', problem));
  if (sample.sms) {
    side.append(el('h3', '', labels.smsFallback));
    side.append(el('div', 'sms', sample.sms));
  }
  box.append(phone, side);
  return box;
}

function drawTemplate(template) {
  const section = el('section', 'template');
  section.dataset.name = template.name;
  const title = el('h2', '', template.name);
  title.append(el('span', 'file', `cards/${template.file}`));
  section.append(title);
  if (template.description) section.append(el('p', 'description', template.description));
  const samples = el('div', 'samples');
  for (const sample of template.samples) samples.append(drawSample(sample));
  section.append(samples);
  return section;
}

function applyFilter() {
  const needle = document.getElementById('filter').value.trim();
  for (const section of document.querySelectorAll('.template')) section.hidden = needle !== '' && !section.dataset.name.includes(needle);
}

async function load() {
  const response = await fetch('api/templates');
  const data = await response.json();
  const problems = document.getElementById('load-problems');
  problems.classList.toggle('hidden', data.loadProblems.length === 0);
  problems.textContent = data.loadProblems.length === 0 ? '' : `${labels.loadFailed}\n${data.loadProblems.join('\n')}`;
  document.getElementById('templates').replaceChildren(...data.templates.map(drawTemplate));
  applyFilter();
  document.body.dataset.ready = 'true';
}

document.getElementById('filter').addEventListener('input', applyFilter);
const events = new EventSource('api/events');
events.onmessage = () => load().then(() => {
  document.getElementById('status').textContent = `${labels.updated} ${new Date().toLocaleTimeString()}`;
});
load();
