/* The agent's view of a conversation: the citizen's messages and the bot's, cards drawn with the
   phone page's own drawing (cardView.js) so the agent sees what the citizen saw. */
/* global document, window */
'use strict';

const labels = {};
for (const span of document.getElementById('labels').content.querySelectorAll('span')) labels[span.dataset.key] = span.textContent;
const { el } = window.CardView;
const view = window.CardView.create({ labels });
const entries = JSON.parse(document.getElementById('transcript-data').textContent || '[]');
const list = document.getElementById('transcript');

for (const entry of entries) {
  const at = el('div', 'at', new Date(entry.at).toLocaleString());
  if (entry.from === 'citizen') {
    const row = el('div', 'row user');
    row.append(el('div', 'bubble', entry.text), at);
    list.append(row);
    continue;
  }
  const message = entry.message || {};
  const parts = [];
  if (message.body && message.body.type === 'text') parts.push({ kind: 'text', text: message.body.text });
  if (message.body && message.body.type === 'card') parts.push({ kind: 'card', card: message.body.card });
  if (message.suggestions) parts.push({ kind: 'chips', suggestions: message.suggestions });
  const row = view.renderBot({ messageId: String(entry.at), parts });
  row.append(at);
  list.append(row);
}
list.scrollTop = list.scrollHeight;
