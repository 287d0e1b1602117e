/*
 * Workbench host: the Zendesk side of the ZAF v2 postMessage protocol (SDK 2.0.x lib/client.js).
 *
 * The sidebar iframe runs the real ZAF SDK. This script answers it the way Zendesk's agent UI does:
 *   iframe.handshake            → zaf.app.registered {metadata, context}
 *   {id, request:get|set|invoke, params} → {id, result} (result is a map keyed by path/action,
 *                                  with failures under result.errors[path])
 *   iframe.on:<event> / iframe.off:<event> → subscriptions; events go out as {key: "zaf.<event>", message}
 *   request:<n>                 → POST /workbench/proxy (the secret never reaches this page),
 *                                  then zaf.request:<n>.done {responseArgs:[data,"success",xhr]}
 *                                  or zaf.request:<n>.fail {responseArgs:[xhr,"error",statusText]}
 *   zaf.ticket.save (needsReply) ← Submit; iframe.reply:ticket.save with error cancels the save
 * Messages are accepted only from the iframe's window and the app's origin; __track__ and
 * session.live noise is ignored. `window.workbench` exposes state and controls for browser tests.
 *
 * The ticket lives in the Zendesk REST API (the simulator), which the workbench server reads and
 * writes for this page (GET/PUT data.ticketApiUrl, PUT/DELETE data.tagsApiUrl; the credentials
 * stay on the server). Every change made here — by the agent or by the app (priority, status,
 * tags, subject, custom fields) — is written through at once; Submit runs the ticket.save hook,
 * then saves the composer as a comment with the chosen status. The page re-reads the ticket every
 * data.pollIntervalMs while visible and right after each app request that may write (POST, PUT,
 * PATCH, DELETE), re-rendering the conversation and tags without touching the composer; changes
 * made elsewhere fire ticket.<field>.changed and ticket.updated to the app. When the server falls
 * back to seed data, a warning banner says so and writes fail with an error toast.
 */
(function () {
  'use strict';

  var dataEl = document.getElementById('workbench-data');
  if (!dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);

  var $ = function (testid) { return document.querySelector('[data-testid="' + testid + '"]'); };
  var iframe = $('app-iframe');
  var composer = $('composer');
  var composerPanel = $('composer-panel');
  var tagList = $('tag-list');
  var tagInput = $('tag-input');
  var prioritySelect = $('priority-select');
  var priorityPill = $('priority');
  var conversation = $('conversation');
  var submitButton = $('submit');
  var submitStatus = $('submit-status');
  var toasts = $('toasts');
  var logList = $('zaf-log');

  var PRIORITIES = ['low', 'normal', 'high', 'urgent'];
  var STATUSES = ['new', 'open', 'pending', 'hold', 'solved'];
  var COMMENT_TYPES = ['publicReply', 'internalNote'];
  var NOISE = { '__track__': true, 'session.live': true };
  var HOOK_TIMEOUT_MS = 15000;
  var WRITE_METHODS = { POST: true, PUT: true, PATCH: true, DELETE: true };
  var warningBanner = $('zendesk-warning');
  var warningText = $('zendesk-warning-text');
  var sourceBadge = $('data-source');

  var base = data.ticket;
  var state = {
    registered: false,
    activatedSent: false,
    tags: base.tags.slice(),
    priority: base.priority,
    status: base.status,
    subject: base.subject,
    customFields: Object.assign({}, base.customFields || {}),
    comments: base.comments.slice(),
    commentType: 'publicReply',
    subscriptions: {},
    lastResize: null,
    instances: [],
    log: [],
    pendingHooks: {},
    source: data.source || 'zendesk',
    warning: data.warning || null,
    updatedAt: base.updatedAt || null,
    writeSeq: 0,
    pendingWrites: 0,
    writeChain: Promise.resolve(),
    refreshing: null,
    refreshAgain: false,
    pollTimer: null,
    refreshCount: 0
  };

  // ------------------------------------------------------------------ plumbing

  function log(direction, text) {
    var entry = { at: new Date().toISOString(), direction: direction, text: text };
    state.log.push(entry);
    if (state.log.length > 500) { state.log.shift(); }
    if (logList) {
      var li = document.createElement('li');
      li.textContent = (direction === 'in' ? '← ' : direction === 'out' ? '→ ' : '· ') + text;
      li.title = li.textContent;
      logList.appendChild(li);
      while (logList.childNodes.length > 300) { logList.removeChild(logList.firstChild); }
    }
  }

  function postToApp(msg) {
    if (!iframe || !iframe.contentWindow) { return; }
    iframe.contentWindow.postMessage(JSON.stringify(msg), data.appOrigin);
  }

  function subscribed(name) { return (state.subscriptions[name] || 0) > 0; }

  function emit(name, payload) {
    if (!subscribed(name)) { return false; }
    log('out', 'zaf.' + name);
    postToApp({ key: 'zaf.' + name, message: payload });
    return true;
  }

  function emitChange(propertyName, newValue, oldValue) {
    emit(propertyName + '.changed', newValue);
    emit('*.changed', { propertyName: propertyName, newValue: newValue, oldValue: oldValue });
  }

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  // ------------------------------------------------------------------ ticket model

  function ticketView() {
    var view = clone(base);
    view.subject = state.subject;
    view.tags = state.tags.slice();
    view.priority = state.priority;
    view.status = state.status;
    view.customFields = clone(state.customFields);
    view.comments = clone(state.comments);
    view.comment = { text: composer ? composer.innerHTML : '', type: state.commentType, attachments: [],
      useRichText: true };
    return view;
  }

  function walk(root, parts, path) {
    var value = root;
    for (var i = 0; i < parts.length; i++) {
      if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, parts[i])) {
        throw new Error('Could not find handler for: "' + path + '"');
      }
      value = value[parts[i]];
    }
    return value;
  }

  function resolvePath(path) {
    var custom = /^ticket\.customField:(.+)$/.exec(path);
    if (custom) {
      if (!Object.prototype.hasOwnProperty.call(state.customFields, custom[1])) {
        throw new Error('Could not find handler for: "' + path + '"');
      }
      return state.customFields[custom[1]];
    }
    var parts = path.split('.');
    var head = parts.shift();
    if (head === 'ticket') { return walk(ticketView(), parts, path); }
    if (head === 'currentUser') { return walk(clone(data.currentUser), parts, path); }
    if (head === 'currentAccount') { return walk(clone(data.currentAccount), parts, path); }
    if (path === 'viewport.size') { return { width: window.innerWidth, height: window.innerHeight }; }
    if (path === 'instances') {
      var all = {};
      all[data.appGuid] = clone(data.context);
      state.instances.forEach(function (inst) { all[inst.instanceGuid] = clone(inst); });
      return all;
    }
    throw new Error('Could not find handler for: "' + path + '"');
  }

  function setPriority(value, source) {
    value = value === '' || value === undefined ? null : value;
    if (value !== null && PRIORITIES.indexOf(value) === -1) {
      throw new Error('Invalid priority "' + value + '" (low, normal, high, urgent)');
    }
    var old = state.priority;
    if (old === value) { return value; }
    state.priority = value;
    if (source !== 'zendesk') { persist('priority', { priority: value }); }
    if (priorityPill) {
      priorityPill.dataset.value = value || '';
      priorityPill.textContent = value || 'no priority';
      priorityPill.className = 'wb-priority wb-priority--' + (value || 'none');
    }
    if (prioritySelect && source !== 'ui') { prioritySelect.value = value || ''; }
    log('info', 'priority ' + old + ' → ' + value + ' (' + source + ')');
    emitChange('ticket.priority', value, old);
    return value;
  }

  function setStatus(value, source) {
    if (STATUSES.indexOf(value) === -1 && !(source === 'zendesk' && typeof value === 'string')) {
      throw new Error('Invalid status "' + value + '" (' + STATUSES.join(', ') + ')');
    }
    var old = state.status;
    if (old === value) { return value; }
    state.status = value;
    if (source !== 'zendesk' && source !== 'submit') { persist('status', { status: value }); }
    ['status', 'status-pill'].forEach(function (id) {
      var pill = $(id);
      if (pill) {
        pill.textContent = value;
        pill.dataset.value = value;
        pill.className = 'wb-pill wb-pill--' + value;
      }
    });
    if (submitStatus && source !== 'ui') { submitStatus.value = value; }
    updateSubmitLabel();
    log('info', 'status ' + old + ' → ' + value + ' (' + source + ')');
    emitChange('ticket.status', value, old);
    return value;
  }

  function normalizeTags(input) {
    var list = Array.isArray(input) ? input : [input];
    var out = [];
    list.forEach(function (item) {
      String(item === null || item === undefined ? '' : item).split(/[\s,]+/).forEach(function (tag) {
        tag = tag.trim().toLowerCase();
        if (tag && out.indexOf(tag) === -1) { out.push(tag); }
      });
    });
    return out;
  }

  function renderTags(added) {
    if (!tagList) { return; }
    tagList.textContent = '';
    state.tags.forEach(function (tag) {
      var li = document.createElement('li');
      li.className = 'wb-chip' + (added && added.indexOf(tag) !== -1 ? ' is-new' : '');
      li.dataset.testid = 'tag';
      li.dataset.tag = tag;
      var text = document.createElement('span');
      text.className = 'wb-chip__text';
      text.textContent = tag;
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'wb-chip__remove';
      remove.dataset.testid = 'tag-remove';
      remove.setAttribute('aria-label', 'Remove tag ' + tag);
      remove.textContent = '×';
      li.appendChild(text);
      li.appendChild(remove);
      tagList.appendChild(li);
    });
  }

  function setTags(tags, source) {
    var old = state.tags.slice();
    var next = normalizeTags(tags);
    if (JSON.stringify(old) === JSON.stringify(next)) { return next; }
    state.tags = next;
    if (source !== 'zendesk') {
      var added = next.filter(function (t) { return old.indexOf(t) === -1; });
      var removed = old.filter(function (t) { return next.indexOf(t) === -1; });
      if (added.length) { queueWrite('tags +' + added.join(' '), 'PUT', data.tagsApiUrl, { tags: added }); }
      if (removed.length) { queueWrite('tags -' + removed.join(' '), 'DELETE', data.tagsApiUrl, { tags: removed }); }
    }
    renderTags(next.filter(function (t) { return old.indexOf(t) === -1; }));
    log('info', 'tags [' + next.join(', ') + '] (' + source + ')');
    emitChange('ticket.tags', next.slice(), old);
    return next;
  }

  function addTags(tags, source) {
    return setTags(state.tags.concat(normalizeTags(tags)), source);
  }

  function removeTags(tags, source) {
    var drop = normalizeTags(tags);
    return setTags(state.tags.filter(function (t) { return drop.indexOf(t) === -1; }), source);
  }

  function setCommentType(type, source) {
    if (COMMENT_TYPES.indexOf(type) === -1) {
      throw new Error('Invalid comment type "' + type + '" (publicReply, internalNote)');
    }
    var old = state.commentType;
    state.commentType = type;
    if (composerPanel) { composerPanel.dataset.type = type; }
    document.querySelectorAll('.wb-composer__tab').forEach(function (tab) {
      tab.classList.toggle('is-active', tab.dataset.type === type);
    });
    if (old !== type) {
      log('info', 'comment type → ' + type + ' (' + source + ')');
      emitChange('ticket.comment.type', type, old);
    }
    return type;
  }

  function setSubject(value, source) {
    var old = state.subject;
    if (old === value) { return value; }
    state.subject = value;
    var subject = $('ticket-subject');
    if (subject) { subject.textContent = value; }
    if (source !== 'zendesk') { persist('subject', { subject: value }); }
    emitChange('ticket.subject', value, old);
    return value;
  }

  // ------------------------------------------------------------------ the Zendesk API (via the server)

  function apiFetch(method, url, body) {
    var init = { method: method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (payload) {
        if (!res.ok) {
          var message = payload && payload.error && payload.error.message ? payload.error.message : 'HTTP ' + res.status;
          var error = new Error(message);
          error.status = res.status;
          throw error;
        }
        return payload;
      });
    });
  }

  // Writes run one after another; the answer of the last one (the fresh ticket) is applied.
  function queueWrite(label, method, url, body) {
    state.writeSeq += 1;
    state.pendingWrites += 1;
    log('info', 'save ' + label);
    var run = function () { return apiFetch(method, url, body); };
    var pending = state.writeChain.then(run, run).then(function (payload) {
      state.pendingWrites -= 1;
      if (state.pendingWrites === 0) { applyPayload(payload, 'write'); }
      return payload;
    }, function (error) {
      state.pendingWrites -= 1;
      log('info', 'save ' + label + ' failed: ' + error.message);
      notify('Not saved (' + label + '): ' + error.message, 'error');
      if (state.pendingWrites === 0) { refresh('after failed save'); }
      throw error;
    });
    state.writeChain = pending.catch(function () { return null; });
    return pending;
  }

  function persist(label, body) {
    queueWrite(label, 'PUT', data.ticketApiUrl, body).catch(function () { return null; });
  }

  function showWarning(warning) {
    state.warning = warning || null;
    if (warningBanner) { warningBanner.hidden = !warning; }
    if (warningText) { warningText.textContent = warning || ''; }
  }

  function showSource(source) {
    state.source = source;
    if (sourceBadge) {
      sourceBadge.dataset.value = source;
      sourceBadge.className = 'wb-source wb-source--' + source;
      sourceBadge.textContent = source === 'zendesk' ? 'Zendesk API' : 'seed data';
    }
  }

  function renderConversation(html, comments) {
    if (!conversation) { return; }
    var known = {};
    conversation.querySelectorAll('[data-testid="comment"]').forEach(function (li) { known[li.dataset.commentId] = true; });
    var atBottom = conversation.scrollTop + conversation.clientHeight >= conversation.scrollHeight - 40;
    conversation.innerHTML = html;
    var fresh = [];
    conversation.querySelectorAll('[data-testid="comment"]').forEach(function (li) {
      if (!known[li.dataset.commentId]) {
        li.classList.add('is-new');
        fresh.push(li);
      }
    });
    if (fresh.length) {
      fresh[fresh.length - 1].scrollIntoView({ block: 'nearest' });
    } else if (atBottom) {
      conversation.scrollTop = conversation.scrollHeight;
    }
    log('info', 'conversation: ' + comments.length + ' comments' + (fresh.length ? ' (' + fresh.length + ' new)' : ''));
  }

  function updatePeople(ticket) {
    var requester = $('requester');
    if (requester && ticket.requester && String(ticket.requester.id) !== requester.dataset.userId) {
      requester.dataset.userId = String(ticket.requester.id);
      var name = $('requester-name');
      var email = $('requester-email');
      if (name) { name.textContent = ticket.requester.name || ''; }
      if (email) { email.textContent = ticket.requester.email || ''; }
    }
    var org = $('organization');
    var orgData = ticket.organization;
    if (org && orgData && org.dataset.tier !== undefined && orgData.tier !== org.dataset.tier) {
      org.dataset.tier = orgData.tier || '';
      var tier = $('organization-tier');
      if (tier) {
        tier.textContent = orgData.tier || '';
        tier.className = 'wb-tier wb-tier--' + (orgData.tier || 'none');
      }
    }
  }

  // Apply the server's view of the ticket: `origin` is 'write' (our own save) or 'refresh'.
  function applyPayload(payload, origin) {
    if (!payload) { return; }
    showWarning(payload.warning);
    if (payload.unchanged) { return; }
    if (payload.source !== 'zendesk') {
      // Seed data never replaces a live view; the warning above says what happened.
      if (state.source !== 'zendesk') { showSource(payload.source); }
      return;
    }
    var ticket = payload.ticket;
    if (!ticket) { return; }
    var foreign = origin !== 'write' && state.source === 'zendesk' && state.updatedAt !== ticket.updatedAt;
    showSource('zendesk');
    state.updatedAt = ticket.updatedAt || null;
    base = ticket;
    setSubject(ticket.subject || '', 'zendesk');
    setTags(ticket.tags || [], 'zendesk');
    setPriority(ticket.priority, 'zendesk');
    if (ticket.status) { setStatus(ticket.status, 'zendesk'); }
    var fields = ticket.customFields || {};
    Object.keys(fields).forEach(function (key) {
      if (JSON.stringify(state.customFields[key]) !== JSON.stringify(fields[key])) {
        var old = state.customFields[key];
        state.customFields[key] = fields[key];
        emitChange('ticket.customField:' + key, fields[key], old);
      }
    });
    updatePeople(ticket);
    var comments = ticket.comments || [];
    var before = JSON.stringify(state.comments);
    if (before !== JSON.stringify(comments) || payload.conversationHtml !== state.conversationHtml) {
      state.comments = comments;
      state.conversationHtml = payload.conversationHtml;
      renderConversation(payload.conversationHtml || '', comments);
    }
    if (foreign) { emit('ticket.updated', { id: ticket.id, updatedAt: ticket.updatedAt }); }
  }

  // Re-read the ticket (cheap when unchanged: the server compares `since` with updated_at).
  function refresh(reason) {
    if (state.refreshing) {
      state.refreshAgain = true;
      return state.refreshing;
    }
    var seq = state.writeSeq;
    var url = data.ticketApiUrl;
    if (state.updatedAt && state.source === 'zendesk') { url += '?since=' + encodeURIComponent(state.updatedAt); }
    state.refreshCount += 1;
    state.refreshing = apiFetch('GET', url).then(function (payload) {
      // A save started meanwhile answers with a fresher ticket; this one would undo it on screen.
      if (seq === state.writeSeq && state.pendingWrites === 0) { applyPayload(payload, 'refresh'); }
    }, function (error) {
      log('info', 'refresh (' + reason + ') failed: ' + error.message);
    }).then(function () {
      state.refreshing = null;
      if (state.refreshAgain) {
        state.refreshAgain = false;
        return refresh('again');
      }
      return undefined;
    });
    return state.refreshing;
  }

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    state.pollTimer = setTimeout(function () {
      if (document.visibilityState === 'hidden') {
        schedulePoll();
        return;
      }
      refresh('poll').then(schedulePoll, schedulePoll);
    }, data.pollIntervalMs || 2000);
  }

  // ------------------------------------------------------------------ composer (safe HTML)

  var ALLOWED = {
    A: ['href', 'title'], B: [], STRONG: [], I: [], EM: [], U: [], S: [], P: [], BR: [], DIV: [], SPAN: [],
    UL: [], OL: [], LI: [], BLOCKQUOTE: [], CODE: [], PRE: [], H1: [], H2: [], H3: [], H4: [], HR: [],
    IMG: ['src', 'alt', 'title', 'width', 'height']
  };
  var DROP = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1, NOSCRIPT: 1, FORM: 1,
    INPUT: 1, BUTTON: 1, TEXTAREA: 1, SELECT: 1, LINK: 1, META: 1, SVG: 1, MATH: 1, FRAME: 1, FRAMESET: 1 };

  function safeUrl(value, allowMailto) {
    var text = String(value || '').trim();
    if (/^https?:\/\//i.test(text) || (allowMailto && /^mailto:/i.test(text))) { return text; }
    return null;
  }

  function sanitizeInto(target, source) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== 1) { return; }
      var tag = node.tagName.toUpperCase();
      if (DROP[tag]) { return; }
      if (!ALLOWED[tag]) {
        sanitizeInto(target, node);
        return;
      }
      if (tag === 'IMG' && safeUrl(node.getAttribute('src'), false) === null) { return; }
      var el = document.createElement(tag.toLowerCase());
      ALLOWED[tag].forEach(function (attr) {
        if (!node.hasAttribute(attr)) { return; }
        var value = node.getAttribute(attr);
        if (attr === 'href' || attr === 'src') {
          value = safeUrl(value, attr === 'href');
          if (value === null) { return; }
        }
        el.setAttribute(attr, value);
      });
      if (tag === 'A') {
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
      sanitizeInto(el, node);
      target.appendChild(el);
    });
    return target;
  }

  function sanitizeHtml(html) {
    var parsed = new DOMParser().parseFromString('<body>' + String(html) + '</body>', 'text/html');
    return sanitizeInto(document.createDocumentFragment(), parsed.body);
  }

  function textFragment(text) {
    var fragment = document.createDocumentFragment();
    String(text).split('\n').forEach(function (line, index) {
      if (index > 0) { fragment.appendChild(document.createElement('br')); }
      fragment.appendChild(document.createTextNode(line));
    });
    return fragment;
  }

  function composerChanged(source) {
    var text = composer.innerHTML;
    log('info', 'composer updated (' + source + ')');
    emitChange('ticket.comment.text', text, undefined);
  }

  function appendHtml(html, source) {
    composer.appendChild(sanitizeHtml(html));
    composerChanged(source);
  }

  function appendText(text, source) {
    composer.appendChild(textFragment(text));
    composerChanged(source);
  }

  function setComposer(html, source) {
    composer.textContent = '';
    composer.appendChild(sanitizeHtml(html));
    composerChanged(source);
  }

  // ------------------------------------------------------------------ toasts

  function notify(message, kind, options) {
    kind = ['notice', 'alert', 'error'].indexOf(kind) === -1 ? 'notice' : kind;
    var duration = 5000;
    if (typeof options === 'number') { duration = options; }
    if (options && typeof options === 'object') {
      if (options.sticky) { duration = 0; }
      if (typeof options.duration === 'number') { duration = options.duration; }
    }
    var toast = document.createElement('div');
    toast.className = 'wb-toast';
    toast.dataset.testid = 'toast';
    toast.dataset.kind = kind;
    toast.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    var text = document.createElement('span');
    text.dataset.testid = 'toast-message';
    text.textContent = String(message === undefined || message === null ? '' : message);
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'wb-toast__close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.addEventListener('click', function () { toast.remove(); });
    toast.appendChild(text);
    toast.appendChild(close);
    toasts.appendChild(toast);
    if (duration > 0) { setTimeout(function () { toast.remove(); }, duration); }
    return toast;
  }

  // ------------------------------------------------------------------ resize

  function cssSize(value) {
    if (typeof value === 'number' && isFinite(value)) { return Math.max(0, Math.round(value)) + 'px'; }
    if (typeof value !== 'string') { return null; }
    var text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) { return Math.round(parseFloat(text)) + 'px'; }
    if (/^\d+(\.\d+)?(px|%|em|rem|vh)$/.test(text)) { return text; }
    return null;
  }

  function resize(size) {
    size = size || {};
    var height = cssSize(size.height);
    var width = cssSize(size.width);
    if (iframe) {
      if (height) {
        iframe.style.height = height;
        iframe.dataset.height = height;
      }
      if (width) {
        iframe.dataset.width = width;
        if (data.flexible) { iframe.style.width = width; }
      }
    }
    state.lastResize = { width: width, height: height };
    log('info', 'resize ' + (width || '-') + ' × ' + (height || '-'));
  }

  // ------------------------------------------------------------------ get / set / invoke

  function errorOf(path, err) {
    return { name: 'Error', message: err && err.message ? err.message : String(err), path: path };
  }

  function doGet(paths) {
    var result = { errors: {} };
    (Array.isArray(paths) ? paths : [paths]).forEach(function (path) {
      try {
        result[path] = resolvePath(String(path));
      } catch (err) {
        result.errors[path] = errorOf(path, err);
      }
    });
    return result;
  }

  function doSet(params) {
    var result = { errors: {} };
    Object.keys(params || {}).forEach(function (path) {
      var value = params[path];
      try {
        var custom = /^ticket\.customField:(.+)$/.exec(path);
        if (path === 'ticket.priority') {
          result[path] = setPriority(value, 'app');
        } else if (path === 'ticket.status') {
          result[path] = setStatus(value, 'app');
        } else if (path === 'ticket.tags') {
          result[path] = setTags(value, 'app');
        } else if (path === 'ticket.subject') {
          result[path] = setSubject(String(value), 'app');
        } else if (path === 'ticket.comment.type' || path === 'comment.type') {
          result[path] = setCommentType(value, 'app');
        } else if (path === 'ticket.comment.text' || path === 'comment.text') {
          setComposer(value, 'app');
          result[path] = composer.innerHTML;
        } else if (custom) {
          var old = state.customFields[custom[1]];
          state.customFields[custom[1]] = value;
          if (/^custom_field_\d+$/.test(custom[1])) {
            var fields = {};
            fields[custom[1]] = value;
            persist(path, { customFields: fields });
          }
          emitChange(path, value, old);
          result[path] = value;
        } else {
          throw new Error('Could not find handler for: "' + path + '"');
        }
      } catch (err) {
        result.errors[path] = errorOf(path, err);
      }
    });
    return result;
  }

  var ACTIONS = {
    'resize': function (size) { resize(size); },
    'ticket.comment.appendHtml': function (html) { appendHtml(html, 'app'); },
    'ticket.comment.appendText': function (text) { appendText(text, 'app'); },
    'ticket.comment.appendMarkdown': function (text) { appendText(text, 'app'); },
    'ticket.tags.add': function (tags) { return addTags(tags, 'app'); },
    'ticket.tags.remove': function (tags) { return removeTags(tags, 'app'); },
    'notify': function (message, kind, options) { notify(message, kind, options); },
    'instances.create': function (options) {
      options = options || {};
      var instance = {
        instanceGuid: uuid(),
        product: 'support',
        account: clone(data.currentAccount),
        location: options.location || 'modal',
        url: options.url || null,
        size: options.size || null
      };
      state.instances.push(instance);
      log('info', 'instances.create ' + instance.location + ' (stub; not rendered)');
      return [instance];
    },
    'track': function () { return undefined; },
    'app.show': function () { return undefined; },
    'app.hide': function () { return undefined; },
    'app.close': function () { return undefined; },
    'popover': function () { return undefined; }
  };

  function doInvoke(params) {
    var result = { errors: {} };
    Object.keys(params || {}).forEach(function (action) {
      var args = Array.isArray(params[action]) ? params[action] : [params[action]];
      var handler = ACTIONS[action];
      if (!handler) {
        result.errors[action] = errorOf(action, new Error('Could not find handler for: "' + action + '"'));
        return;
      }
      try {
        var value = handler.apply(null, args);
        if (value !== undefined) { result[action] = value; }
      } catch (err) {
        result.errors[action] = errorOf(action, err);
      }
    });
    return result;
  }

  function handleCall(msg) {
    var result;
    if (msg.request === 'get') {
      log('in', 'get ' + JSON.stringify(msg.params));
      result = doGet(msg.params);
    } else if (msg.request === 'set') {
      log('in', 'set ' + JSON.stringify(msg.params));
      result = doSet(msg.params);
    } else if (msg.request === 'invoke') {
      var names = Object.keys(msg.params || {});
      if (!(names.length === 1 && names[0] === 'track')) { log('in', 'invoke ' + names.join(', ')); }
      result = doInvoke(msg.params);
    } else {
      log('in', 'unknown request ' + msg.request);
      postToApp({ id: msg.id, error: { name: 'Error', message: 'Unknown request type "' + msg.request + '"' } });
      return;
    }
    postToApp({ id: msg.id, result: result });
  }

  // ------------------------------------------------------------------ requests (Zendesk's proxy)

  function lowerKeys(headers) {
    var out = {};
    Object.keys(headers || {}).forEach(function (k) { out[k.toLowerCase()] = headers[k]; });
    return out;
  }

  function viaProxy(options) {
    return fetch(data.proxyUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ options: options })
    }).then(function (res) {
      if (!res.ok) {
        return res.text().then(function (body) {
          return { status: res.status, statusText: res.statusText || 'error',
            headers: { 'content-type': res.headers.get('content-type') || '' }, body: body };
        });
      }
      return res.json();
    });
  }

  function directFetch(options) {
    var method = String(options.type || options.method || 'GET').toUpperCase();
    var init = { method: method, headers: options.headers || {} };
    if (options.data !== undefined && method !== 'GET' && method !== 'HEAD') {
      init.body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
      if (options.contentType && !init.headers['Content-Type']) {
        init.headers = Object.assign({ 'Content-Type': options.contentType }, init.headers);
      }
    }
    return fetch(options.url, init).then(function (res) {
      return res.text().then(function (body) {
        return {
          status: res.status,
          statusText: res.statusText,
          headers: {
            'content-type': res.headers.get('content-type') || '',
            'retry-after': res.headers.get('retry-after') || undefined
          },
          body: body
        };
      });
    });
  }

  function responseArgs(options, envelope) {
    var status = envelope.status || 0;
    var statusText = envelope.statusText || (status ? String(status) : 'error');
    var headers = lowerKeys(envelope.headers);
    var text = envelope.body === undefined || envelope.body === null ? '' : String(envelope.body);
    var contentType = headers['content-type'] || '';
    var dataType = String(options.dataType || '').toLowerCase();
    var parsed;
    var parsedOk = false;
    if (text) {
      try { parsed = JSON.parse(text); parsedOk = true; } catch (e) { parsedOk = false; }
    }
    var xhr = { readyState: 4, status: status, statusText: statusText, responseText: text, headers: headers };
    if (parsedOk && (/json/i.test(contentType) || dataType === 'json')) { xhr.responseJSON = parsed; }
    var success = (status >= 200 && status < 300) || status === 304;
    if (options.httpCompleteResponse) {
      return { ok: true, args: [{ status: status, statusText: statusText, headers: headers, responseText: text,
        responseJSON: xhr.responseJSON }, success ? 'success' : 'error', xhr] };
    }
    if (!success) { return { ok: false, args: [xhr, 'error', statusText] }; }
    if (status === 204 || String(options.type || '').toUpperCase() === 'HEAD') {
      return { ok: true, args: [null, 'nocontent', xhr] };
    }
    if (dataType === 'json' || (!dataType && /json/i.test(contentType))) {
      if (!parsedOk) { return { ok: false, args: [xhr, 'parsererror', 'SyntaxError: invalid JSON'] }; }
      return { ok: true, args: [parsed, 'success', xhr] };
    }
    return { ok: true, args: [text, 'success', xhr] };
  }

  function handleAppRequest(key, options) {
    var opts = typeof options === 'string' ? { url: options } : (options || {});
    log('in', key + ' ' + String(opts.type || 'GET').toUpperCase() + ' ' + opts.url);
    var direct = opts.cors === true && /^https?:\/\//i.test(String(opts.url || ''));
    var pending = direct ? directFetch(opts) : viaProxy(opts);
    pending.catch(function (err) {
      return { status: 0, statusText: 'error', headers: {}, body: String(err && err.message || err) };
    }).then(function (envelope) {
      var reply = responseArgs(opts, envelope);
      var replyKey = 'zaf.' + key + (reply.ok ? '.done' : '.fail');
      log('out', replyKey + ' (' + envelope.status + ')');
      postToApp({ key: replyKey, message: { responseArgs: reply.args } });
      if (WRITE_METHODS[String(opts.type || opts.method || 'GET').toUpperCase()]) {
        refresh('after ' + key);
        setTimeout(function () { refresh('after ' + key + ' (follow-up)'); }, 1000);
      }
    });
  }

  // ------------------------------------------------------------------ hooks (ticket.save)

  function runHook(name) {
    if (!subscribed(name)) { return Promise.resolve({ ok: true }); }
    return new Promise(function (resolve) {
      var timer = setTimeout(function () {
        delete state.pendingHooks[name];
        log('info', name + ' hook timed out; continuing');
        resolve({ ok: true, timedOut: true });
      }, HOOK_TIMEOUT_MS);
      state.pendingHooks[name] = function (msg) {
        clearTimeout(timer);
        delete state.pendingHooks[name];
        if (msg.error) {
          resolve({ ok: false, message: msg.error.msg || 'The app cancelled this action' });
        } else {
          resolve({ ok: true });
        }
      };
      log('out', 'zaf.' + name + ' (needsReply)');
      postToApp({ key: 'zaf.' + name, needsReply: true });
    });
  }

  function submit() {
    var newStatus = submitStatus ? submitStatus.value : state.status;
    return runHook('ticket.save').then(function (outcome) {
      if (!outcome.ok) {
        notify(outcome.message, 'error');
        log('info', 'save cancelled by the app: ' + outcome.message);
        return false;
      }
      emit('ticket.submit.start', {});
      var html = composer.innerHTML.trim();
      var body = { status: newStatus };
      if (composer.textContent.trim() || /<img/i.test(html)) {
        body.comment = { html: html, public: state.commentType === 'publicReply' };
      }
      return queueWrite('submit', 'PUT', data.ticketApiUrl, body).then(function () {
        if (body.comment) {
          composer.textContent = '';
          composerChanged('submit');
        }
        setStatus(newStatus, 'submit');
        emit('ticket.submit.done', {});
        emit('ticket.submit.always', {});
        return true;
      }, function () {
        emit('ticket.submit.fail', {});
        emit('ticket.submit.always', {});
        return false;
      });
    });
  }

  function updateSubmitLabel() {
    var label = $('submit-status-label');
    if (label && submitStatus) {
      var value = submitStatus.value;
      label.textContent = value.charAt(0).toUpperCase() + value.slice(1);
    }
  }

  // ------------------------------------------------------------------ message routing

  function register() {
    state.registered = true;
    state.subscriptions = {};
    state.activatedSent = false;
    var message = { metadata: clone(data.metadata), context: clone(data.context) };
    log('out', 'zaf.app.registered');
    postToApp({ key: 'zaf.app.registered', message: message });
    if (iframe) { iframe.dataset.registered = 'true'; }
  }

  function handleKey(msg) {
    var key = msg.key;
    if (key === 'iframe.handshake') {
      log('in', 'iframe.handshake v' + ((msg.message && msg.message.version) || '?'));
      register();
      return;
    }
    var on = /^iframe\.on:(.+)$/.exec(key);
    if (on) {
      var count = msg.message && typeof msg.message.subscriberCount === 'number'
        ? msg.message.subscriberCount : (state.subscriptions[on[1]] || 0) + 1;
      state.subscriptions[on[1]] = count;
      if (!/^request:\d+\./.test(on[1])) { log('in', 'on ' + on[1] + ' (' + count + ')'); }
      if (on[1] === 'app.activated' && state.registered && !state.activatedSent) {
        state.activatedSent = true;
        emit('app.activated', { firstLoad: true });
      }
      return;
    }
    var off = /^iframe\.off:(.+)$/.exec(key);
    if (off) {
      state.subscriptions[off[1]] = msg.message && typeof msg.message.subscriberCount === 'number'
        ? msg.message.subscriberCount : Math.max(0, (state.subscriptions[off[1]] || 1) - 1);
      log('in', 'off ' + off[1]);
      return;
    }
    if (/^request:\d+$/.test(key)) {
      handleAppRequest(key, msg.message);
      return;
    }
    var reply = /^iframe\.reply:(.+)$/.exec(key);
    if (reply) {
      log('in', key + (msg.error ? ' (error: ' + msg.error.msg + ')' : ''));
      var waiting = state.pendingHooks[reply[1]];
      if (waiting) { waiting(msg); }
      return;
    }
    if (/^iframe\.trigger:/.test(key)) {
      log('in', key);
      return;
    }
    log('in', 'ignored ' + key);
  }

  function onMessage(event) {
    if (!iframe || event.source !== iframe.contentWindow || event.origin !== data.appOrigin) { return; }
    var msg = event.data;
    if (typeof msg === 'string') {
      try { msg = JSON.parse(msg); } catch (e) { return; }
    }
    if (!msg || typeof msg !== 'object') { return; }
    if (typeof msg.key === 'string' && (NOISE[msg.key] || msg.key.indexOf('__') === 0)) { return; }
    if (msg.id !== undefined && typeof msg.request === 'string') {
      handleCall(msg);
      return;
    }
    if (typeof msg.key === 'string') { handleKey(msg); }
  }

  window.addEventListener('message', onMessage);

  // ------------------------------------------------------------------ UI wiring

  if (prioritySelect) {
    prioritySelect.addEventListener('change', function () { setPriority(prioritySelect.value || null, 'ui'); });
  }
  if (tagList) {
    tagList.addEventListener('click', function (event) {
      var button = event.target.closest('[data-testid="tag-remove"]');
      if (button) { removeTags(button.closest('[data-testid="tag"]').dataset.tag, 'ui'); }
    });
  }
  if (tagInput) {
    tagInput.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ',' || event.key === ' ') {
        event.preventDefault();
        if (tagInput.value.trim()) { addTags(tagInput.value, 'ui'); }
        tagInput.value = '';
      } else if (event.key === 'Backspace' && !tagInput.value && state.tags.length) {
        removeTags(state.tags[state.tags.length - 1], 'ui');
      }
    });
  }
  document.querySelectorAll('.wb-composer__tab').forEach(function (tab) {
    tab.addEventListener('click', function () { setCommentType(tab.dataset.type, 'ui'); });
  });
  if (composer) {
    composer.addEventListener('input', function () { emitChange('ticket.comment.text', composer.innerHTML, undefined); });
  }
  if (submitStatus) { submitStatus.addEventListener('change', updateSubmitLabel); }
  if (submitButton) { submitButton.addEventListener('click', function () { submit(); }); }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') { refresh('visible'); }
  });
  state.conversationHtml = null;
  schedulePoll();

  // ------------------------------------------------------------------ test/debug API

  window.workbench = {
    state: function () {
      return {
        registered: state.registered,
        ticket: ticketView(),
        commentType: state.commentType,
        composerHtml: composer ? composer.innerHTML : '',
        subscriptions: clone(state.subscriptions),
        lastResize: clone(state.lastResize),
        instances: clone(state.instances),
        log: clone(state.log),
        source: state.source,
        warning: state.warning,
        updatedAt: state.updatedAt,
        pendingWrites: state.pendingWrites,
        refreshCount: state.refreshCount
      };
    },
    refresh: function () { return refresh('manual').then(function () { return state.writeChain; }); },
    settled: function () { return state.writeChain.then(function () { return state.refreshing; }); },
    emit: function (name, payload) { return emit(name, payload); },
    setPriority: function (value) { return setPriority(value, 'ui'); },
    setStatus: function (value) { return setStatus(value, 'ui'); },
    setTags: function (tags) { return setTags(tags, 'ui'); },
    addTags: function (tags) { return addTags(tags, 'ui'); },
    removeTags: function (tags) { return removeTags(tags, 'ui'); },
    setCommentType: function (type) { return setCommentType(type, 'ui'); },
    submit: submit,
    notify: notify
  };
})();
