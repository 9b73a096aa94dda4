/* Draws bot messages as a 5G messaging app shows them: rich cards, carousels, chip lists, text,
   files and fallback SMS. Shared by the web phone (phone.js) and the staff preview page, so
   content staff see exactly what the phone shows. Every text is set as text, never as HTML.
   What a tapped button does is the caller's: options.onTap(suggestion). */
/* global document, window */
'use strict';

(function () {
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined;
  }

  function create(options) {
    const labels = options.labels || {};
    const onTap = options.onTap || function () {};

    function suggestionButton(suggestion, className) {
      const body = suggestion.reply || suggestion.action || {};
      const button = el('button', className, body.displayText);
      button.type = 'button';
      button.dataset.kind = suggestion.reply ? 'reply' : 'action';
      button.addEventListener('click', () => onTap(suggestion));
      return button;
    }

    // ---- rendering bot messages ----

    function renderCard(content, layout) {
      const card = el('div', 'rich-card');
      if (layout && layout.cardOrientation === 'HORIZONTAL') {
        card.classList.add('horizontal');
        if (layout.imageAlignment === 'RIGHT') card.classList.add('media-right');
      }
      const media = content.media;
      if (media && safeUrl(media.mediaUrl)) {
        const isVideo = /^video\//.test(media.mediaContentType || '');
        const node = el(isVideo ? 'video' : 'img', `card-media ${media.height || 'MEDIUM_HEIGHT'}`);
        node.src = media.mediaUrl;
        if (isVideo) {
          node.controls = true;
          if (safeUrl(media.thumbnailUrl)) node.poster = media.thumbnailUrl;
        } else {
          node.alt = media.contentDescription || '';
        }
        card.append(node);
      }
      if (content.title || content.description) {
        const text = el('div', 'card-text');
        if (content.title) text.append(el('div', ['card-title', ...((layout && layout.titleFontStyle) || [])].join(' '), content.title));
        if (content.description) text.append(el('div', ['card-description', ...((layout && layout.descriptionFontStyle) || [])].join(' '), content.description));
        card.append(text);
      }
      if (content.suggestions && content.suggestions.length > 0) {
        const buttons = el('div', 'card-buttons');
        for (const suggestion of content.suggestions) buttons.append(suggestionButton(suggestion, 'card-button'));
        card.append(buttons);
      }
      return card;
    }

    function renderBotMessage(row, card) {
      const message = card.message || {};
      if (message.generalPurposeCard) {
        row.append(renderCard(message.generalPurposeCard.content || {}, message.generalPurposeCard.layout));
      } else if (message.generalPurposeCardCarousel) {
        const carousel = message.generalPurposeCardCarousel;
        const strip = el('div', `carousel ${(carousel.layout && carousel.layout.cardWidth) || 'MEDIUM_WIDTH'}`);
        for (const content of carousel.content || []) strip.append(renderCard(content, { cardOrientation: 'VERTICAL' }));
        row.append(strip);
      }
    }

    function renderChips(suggestions) {
      const list = el('div', 'chip-list');
      for (const suggestion of suggestions) list.append(suggestionButton(suggestion, 'chip'));
      return list;
    }

    function renderFiles(row, files) {
      const bubble = el('div', 'bubble');
      for (const file of files) {
        if (file && file.type === 'thumbnail') continue;
        const link = el('a', 'file-link', `📎 ${(file && file.fileName) || labels.file}`);
        if (safeUrl(file && file.url)) link.href = file.url;
        bubble.append(link);
      }
      row.append(bubble);
    }

    function renderBot(entry) {
      const row = el('div', 'row bot');
      row.dataset.messageId = entry.messageId;
      if (entry.as === 'sms') {
        row.append(el('div', 'sms-label', labels.sms));
        row.append(el('div', 'bubble sms-bubble', entry.smsContent));
        return row;
      }
      for (const part of entry.parts) {
        if (part.kind === 'text') row.append(el('div', 'bubble', part.text));
        else if (part.kind === 'card') renderBotMessage(row, part.card);
        else if (part.kind === 'files') renderFiles(row, part.files);
      }
      const chips = entry.parts.find((part) => part.kind === 'chips');
      if (chips) row.append(renderChips(chips.suggestions));
      return row;
    }

    return { renderBot, renderChips, suggestionButton };
  }

  window.CardView = { el, safeUrl, create };
})();
