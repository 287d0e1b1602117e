// Installation settings from `client.metadata().settings`, normalised. Zendesk hands numbers and
// checkboxes back as strings in some places, so every value is parsed defensively. Secure settings
// (shared_secret) never reach the browser and are not read here.

function toInt(value, fallback, { min = 0, max = 3650 } = {}) {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? '').trim(), 10);
  if (!Number.isFinite(number)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(number)));
}

function toBool(value, fallback = false) {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null || value === '') return fallback;
  return ['true', '1', 'yes', 'on'].includes(String(value).trim().toLowerCase());
}

/** The backend base URL without trailing slashes ('' when unset). */
export function normaliseBackendUrl(value) {
  return String(value ?? '').trim().replace(/\/+$/, '');
}

export function readSettings(raw = {}) {
  const settings = raw || {};
  return {
    backendUrl: normaliseBackendUrl(settings.backend_url),
    expiringSoonDays: toInt(settings.expiring_soon_days, 7, { min: 0, max: 365 }),
    defaultShareDays: toInt(settings.default_share_days, 14, { min: 1, max: 3650 }),
    approvedOnly: toBool(settings.approved_only, false),
  };
}
