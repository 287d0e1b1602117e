import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ATTACHMENT_LIMIT_BYTES,
  attachBody,
  deliveryErrorText,
  failAttempt,
  failedDeliveryId,
  newIdempotencyKey,
  nextRequest,
  overAttachmentLimit,
  retryPlan,
  shareBody,
  startAttempt,
} from '../../zendesk_app/assets/delivery.js';
import { normaliseError } from '../../zendesk_app/assets/api.js';
import { uiTranslator } from './helpers.mjs';

const t = uiTranslator();
const M1 = 'I0000sIgWVtMRMI8';
const M2 = 'I0000rce1K78f0Rn';
const G1 = 'G0000P9vWEyabepJ';

function keys(...values) {
  const queue = [...values];
  return () => queue.shift();
}

const deliveryFailed = normaliseError({
  status: 502,
  responseJSON: {
    error: {
      code: 'delivery_failed',
      message: 'The delivery failed and was recorded; it can be retried. (zendesk: timeout)',
      details: { delivery: { id: 'dl_abc12345', status: 'failed', error_code: 'upstreamtimeout' } },
    },
  },
});
const network = normaliseError(new Error('Invocation request timeout'));
const rateLimited = normaliseError({
  status: 429,
  responseJSON: { error: { code: 'rate_limited', message: 'zendesk is rate limiting requests; try again in 12 s.', details: { retry_after: 12 } } },
});
const inProgress = normaliseError({ status: 409, responseJSON: { error: { code: 'request_in_progress', message: 'still running' } } });
const conflict = normaliseError({ status: 409, responseJSON: { error: { code: 'conflict', message: 'Shares may last at most 90 days.' } } });
const keyReused = normaliseError({ status: 422, responseJSON: { error: { code: 'idempotency_key_reused', message: 'reused' } } });
const validation = normaliseError({
  status: 400,
  responseJSON: {
    error: { code: 'validation_error', message: 'Some parameters are invalid.', details: { fields: { recipients: { 0: ['Not a valid email address.'] } } } },
  },
});

describe('request bodies', () => {
  it('attach: exactly {media_ids, public, note}, ids deduplicated, note trimmed', () => {
    assert.equal(
      JSON.stringify(attachBody({ mediaIds: [M1, M2, M1], isPublic: false, note: '  Here you go \n' })),
      '{"media_ids":["I0000sIgWVtMRMI8","I0000rce1K78f0Rn"],"public":false,"note":"Here you go"}',
    );
    assert.deepEqual(attachBody({ mediaIds: [M1], isPublic: true }), { media_ids: [M1], public: true, note: '' });
  });

  it('share a gallery: gallery_id only, numbers parsed, no max_downloads -> null', () => {
    assert.equal(
      JSON.stringify(
        shareBody({
          galleryId: G1,
          mediaIds: [M1],
          recipients: ['sam@peak.example'],
          expiresInDays: '14',
          allowDownload: true,
          maxDownloads: '',
          note: ' hi ',
          postAs: 'note',
        }),
      ),
      '{"gallery_id":"G0000P9vWEyabepJ","recipients":["sam@peak.example"],"expires_in_days":14,"allow_download":true,"max_downloads":null,"note":"hi","post_as":"note"}',
    );
  });

  it('share a selection: media_ids, max_downloads as a number, post_as reply', () => {
    assert.equal(
      JSON.stringify(
        shareBody({ mediaIds: [M1, M2], recipients: [], expiresInDays: 7, allowDownload: true, maxDownloads: '5', postAs: 'reply' }),
      ),
      '{"media_ids":["I0000sIgWVtMRMI8","I0000rce1K78f0Rn"],"recipients":[],"expires_in_days":7,"allow_download":true,"max_downloads":5,"note":"","post_as":"reply"}',
    );
  });

  it('share: no download limit when downloads are off; unknown post_as -> note; bad days left out', () => {
    const body = shareBody({ galleryId: G1, allowDownload: false, maxDownloads: 5, postAs: 'email', expiresInDays: 'abc' });
    assert.deepEqual(body, { gallery_id: G1, recipients: [], allow_download: false, max_downloads: null, note: '', post_as: 'note' });
  });
});

describe('idempotency keys', () => {
  it('newIdempotencyKey is a v4 UUID (randomUUID, or built from random bytes)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    assert.match(newIdempotencyKey(), uuid);
    assert.match(newIdempotencyKey({ getRandomValues: (bytes) => bytes.fill(255) }), uuid);
    assert.match(newIdempotencyKey(null), uuid);
    assert.notEqual(newIdempotencyKey(), newIdempotencyKey());
  });

  it('a Confirm gets a fresh key; the POST carries it', () => {
    const body = attachBody({ mediaIds: [M1] });
    const attempt = startAttempt(null, 'attach', body, keys('k1'));
    assert.deepEqual(attempt, { kind: 'attach', body, key: 'k1', deliveryId: null, outcome: 'pending' });
    assert.deepEqual(nextRequest(attempt), { type: 'attach', body, key: 'k1' });
  });

  it('Retry after no answer / 5xx / 429 / request_in_progress re-sends the same POST with the same key', () => {
    for (const error of [network, rateLimited, inProgress, normaliseError({ status: 504, responseJSON: { error: { code: 'upstream_timeout' } } })]) {
      const first = startAttempt(null, 'share', { gallery_id: G1 }, keys('k1'));
      const failed = failAttempt(first, error, keys('k2'));
      assert.equal(failed.outcome, 'uncertain');
      assert.deepEqual(nextRequest(failed), { type: 'share', body: { gallery_id: G1 }, key: 'k1' });
    }
  });

  it('Retry after 502 delivery_failed goes through POST /deliveries/<id>/retry', () => {
    const first = startAttempt(null, 'attach', { media_ids: [M1] }, keys('k1'));
    const failed = failAttempt(first, deliveryFailed, keys('k2'));
    assert.equal(failed.deliveryId, 'dl_abc12345');
    assert.deepEqual(nextRequest(failed), { type: 'retry', deliveryId: 'dl_abc12345' });
  });

  it('a key the backend says was used for another body is replaced', () => {
    const failed = failAttempt(startAttempt(null, 'attach', { media_ids: [M1] }, keys('k1')), keyReused, keys('k2'));
    assert.equal(failed.key, 'k2');
    assert.equal(nextRequest(failed).key, 'k2');
  });

  it('Confirm again with the same body after an unknown outcome reuses the key; a changed body does not', () => {
    const body = { media_ids: [M1], public: false, note: '' };
    const failed = failAttempt(startAttempt(null, 'attach', body, keys('k1')), network);
    assert.equal(startAttempt(failed, 'attach', { ...body }, keys('k2')).key, 'k1');
    assert.equal(startAttempt(failed, 'attach', { ...body, note: 'x' }, keys('k2')).key, 'k2');
    assert.equal(startAttempt(failed, 'share', body, keys('k2')).key, 'k2');
  });

  it('Confirm again after a recorded failure retries that delivery; after success or a refusal, a new key', () => {
    const body = { media_ids: [M1], public: false, note: '' };
    const recorded = failAttempt(startAttempt(null, 'attach', body, keys('k1')), deliveryFailed);
    assert.deepEqual(nextRequest(startAttempt(recorded, 'attach', body, keys('k2'))), { type: 'retry', deliveryId: 'dl_abc12345' });
    const done = { ...startAttempt(null, 'attach', body, keys('k1')), outcome: 'done' };
    assert.equal(startAttempt(done, 'attach', body, keys('k2')).key, 'k2');
    const refused = failAttempt(startAttempt(null, 'attach', body, keys('k1')), validation);
    assert.equal(refused.outcome, 'rejected');
    assert.deepEqual(nextRequest(startAttempt(refused, 'attach', body, keys('k2'))), { type: 'attach', body, key: 'k2' });
  });
});

describe('retryPlan / failedDeliveryId', () => {
  it('classifies failures', () => {
    assert.deepEqual(retryPlan(deliveryFailed), { action: 'retry_delivery', deliveryId: 'dl_abc12345' });
    assert.deepEqual(retryPlan(network), { action: 'resend' });
    assert.deepEqual(retryPlan(rateLimited), { action: 'resend' });
    assert.deepEqual(retryPlan(inProgress), { action: 'resend' });
    assert.deepEqual(retryPlan(keyReused), { action: 'new_key' });
    assert.deepEqual(retryPlan(validation), { action: 'edit' });
    assert.deepEqual(retryPlan(conflict), { action: 'edit' });
    assert.deepEqual(retryPlan({ status: 404, code: 'not_found' }), { action: 'edit' });
    assert.deepEqual(retryPlan({ status: 403, code: 'forbidden' }), { action: 'none' });
    assert.deepEqual(retryPlan({ status: 0, code: 'not_configured' }), { action: 'none' });
  });

  it('needs the delivery id to retry a recorded failure', () => {
    assert.equal(failedDeliveryId(deliveryFailed), 'dl_abc12345');
    assert.equal(failedDeliveryId({ status: 502, code: 'delivery_failed', details: {} }), null);
    assert.deepEqual(retryPlan({ status: 502, code: 'delivery_failed', details: {} }), { action: 'resend' });
    assert.equal(failedDeliveryId({ status: 502, code: 'upstream_unavailable', details: { delivery: { id: 'dl_x' } } }), null);
  });
});

describe('deliveryErrorText', () => {
  it('delivery_failed: the backend message, a kind-specific title, "nothing is sent twice"', () => {
    assert.deepEqual(deliveryErrorText(t, deliveryFailed, { kind: 'attach' }), {
      title: 'The images could not be attached',
      message: 'The delivery failed and was recorded; it can be retried. (zendesk: timeout)',
      hint: 'Retry picks up where it stopped; nothing is sent twice.',
      retry: 'retry_delivery',
    });
    assert.equal(deliveryErrorText(t, deliveryFailed, { kind: 'share' }).title, 'The link could not be created');
  });

  it('network: we do not know whether it went through, Retry is safe', () => {
    assert.deepEqual(deliveryErrorText(t, network), {
      title: 'No answer from the backend',
      message: 'We could not tell whether it went through.',
      hint: 'Retry is safe: it will not be delivered twice.',
      retry: 'resend',
    });
  });

  it('429: rate-limited title, backend message, wait hint', () => {
    assert.deepEqual(deliveryErrorText(t, rateLimited, { kind: 'share' }), {
      title: 'Too many requests',
      message: 'zendesk is rate limiting requests; try again in 12 s.',
      hint: 'Try again in 12 seconds.',
      retry: 'resend',
    });
    assert.equal(deliveryErrorText(t, { status: 429, code: 'http_429', retryAfter: null }).hint, null);
  });

  it('validation, conflicts, in-progress, reused keys, setup', () => {
    assert.deepEqual(deliveryErrorText(t, validation), {
      title: 'The images could not be attached',
      message: 'recipients: Not a valid email address.',
      hint: 'Edit the details and confirm again.',
      retry: 'edit',
    });
    assert.equal(deliveryErrorText(t, conflict, { kind: 'share' }).message, 'Shares may last at most 90 days.');
    assert.equal(deliveryErrorText(t, inProgress).title, 'Still working on it');
    assert.equal(deliveryErrorText(t, keyReused).retry, 'new_key');
    const setup = deliveryErrorText(t, { status: 0, code: 'not_configured' });
    assert.equal(setup.title, 'The app needs setting up');
    assert.equal(setup.retry, 'none');
    assert.equal(deliveryErrorText(t, { status: 404, code: 'not_found', message: null }, { kind: 'revoke' }).title, 'The link could not be revoked');
  });
});

describe('overAttachmentLimit', () => {
  it('flags files over the limit only', () => {
    assert.equal(ATTACHMENT_LIMIT_BYTES, 7 * 1024 * 1024);
    assert.equal(overAttachmentLimit({ file_size: 7494947 }), true);
    assert.equal(overAttachmentLimit({ file_size: 3341525 }), false);
    assert.equal(overAttachmentLimit({ file_size: ATTACHMENT_LIMIT_BYTES }), false);
    assert.equal(overAttachmentLimit({}), false);
    assert.equal(overAttachmentLimit(null), false);
  });
});
