// Shared test helpers: the real en.json, a translator over it, a fake ZAF client.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createTranslator } from '../../zendesk_app/assets/i18n.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ASSETS = path.join(ROOT, 'zendesk_app', 'assets');
export const EN = JSON.parse(fs.readFileSync(path.join(ROOT, 'zendesk_app', 'translations', 'en.json'), 'utf8'));

export function uiTranslator(options = {}) {
  return createTranslator(EN, { scope: 'ticket_sidebar', ...options });
}

/** A stand-in for the ZAF client: records calls, answers like the workbench host does. */
export function fakeClient({
  settings = { backend_url: 'http://127.0.0.1:5000/', expiring_soon_days: 7, default_share_days: 14, approved_only: false },
  context = { instanceGuid: 'abc', product: 'support', account: { subdomain: 'demo' }, location: 'ticket_sidebar', ticketId: 4242 },
  currentUser = { id: 1234, name: 'Agent Smith', email: 'agent@example.com', locale: 'en-US' },
  respond = async () => ({ ok: true }),
} = {}) {
  const calls = { request: [], get: [], invoke: [] };
  return {
    calls,
    metadata: async () => ({ appId: 1, installationId: 2, settings }),
    context: async () => context,
    get: async (paths) => {
      calls.get.push(paths);
      const list = [].concat(paths);
      const result = {};
      for (const p of list) {
        if (p === 'currentUser') result.currentUser = currentUser;
        else if (p === 'ticket.id') result['ticket.id'] = 777;
        else if (p === 'currentAccount') result.currentAccount = { subdomain: 'fromaccount' };
      }
      return result;
    },
    invoke: async (...args) => {
      calls.invoke.push(args);
      return {};
    },
    request: async (options) => {
      calls.request.push(options);
      return respond(options);
    },
  };
}
