import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BANNER_CAUSES, bannerCause, brokenLinks, resharePrefill, reshareTarget } from '../../zendesk_app/assets/brokenlinks.js';
import { uiTranslator } from './helpers.mjs';

const t = uiTranslator();
const EXPIRED_GALLERY = {
  url: 'https://brand.photoshelter.com/gallery/shared-gallery/G0000e4F0ZPx2gH7',
  source: 'photoshelter',
  works: false,
  cause: 'expired',
  reason: 'Access expired on 16 Nov 2026: every grant on this gallery has expired.',
  advice: 'Issue a fresh share with a new expiry date.',
  kind: 'gallery',
  id: 'G0000e4F0ZPx2gH7',
  container_id: 'G0000e4F0ZPx2gH7',
};
const REVOKED_SHARE = {
  url: 'https://psz.example/l/R--dluDPBOBhTo8I2baO1BNc',
  source: 'share',
  share_id: 'R--dluDPBOBhTo8I2baO1BNc',
  works: false,
  cause: 'revoked',
  reason: 'This share link was revoked.',
  container_id: 'G0000kU16xDVlQ8k',
};
const IMAGE = {
  url: 'https://brand.photoshelter.com/image/I0000sIgWVtMRMI8',
  source: 'photoshelter',
  works: false,
  cause: 'private',
  reason: 'Its gallery is private.',
  kind: 'media',
  id: 'I0000sIgWVtMRMI8',
  container_id: 'G0000AXEepGipLgJ',
};
const COLLECTION = { url: 'https://x/collection/C0000cCequm4BmmS', works: false, cause: 'not_found', kind: 'collection', id: 'C0000cCequm4BmmS', container_id: null };
const WORKING = { ...EXPIRED_GALLERY, url: 'https://ok', works: true, cause: 'ok', id: 'G0000OtherGal001', container_id: 'G0000OtherGal001' };
// The fresh tracked link a re-share of the expired gallery posted (source share, works).
const RESHARED = { url: 'https://psz.example/l/Fresh-link-0001', source: 'share', share_id: 'Fresh-link-0001', works: true, cause: 'ok', container_id: 'G0000e4F0ZPx2gH7' };

describe('broken links', () => {
  it('keeps the links that do not work, newest first, one per URL', () => {
    const links = [EXPIRED_GALLERY, WORKING, REVOKED_SHARE, { ...EXPIRED_GALLERY }, null, { works: false }];
    assert.deepEqual(brokenLinks(links), [EXPIRED_GALLERY, REVOKED_SHARE]);
    assert.deepEqual(brokenLinks(undefined), []);
  });

  it('leaves out a broken link that a later working link to the same gallery or image replaced', () => {
    assert.deepEqual(brokenLinks([EXPIRED_GALLERY, RESHARED]), []);
    assert.deepEqual(brokenLinks([EXPIRED_GALLERY, RESHARED, REVOKED_SHARE]), [REVOKED_SHARE]);
    // a working link posted before the broken one does not count as its replacement
    assert.deepEqual(brokenLinks([RESHARED, EXPIRED_GALLERY]), [EXPIRED_GALLERY]);
    // nor does a link that works for another gallery, or a fresh link that is broken too
    assert.deepEqual(brokenLinks([EXPIRED_GALLERY, WORKING]), [EXPIRED_GALLERY]);
    assert.deepEqual(brokenLinks([EXPIRED_GALLERY, { ...RESHARED, works: false, cause: 'revoked' }]).length, 2);
    // an image link is replaced by a working link to that image
    const fixedImage = { ...IMAGE, url: 'https://brand.photoshelter.com/image/I0000sIgWVtMRMI8?x', works: true, cause: 'ok' };
    assert.deepEqual(brokenLinks([IMAGE, fixedImage]), []);
    // a collection link has no target, so nothing replaces it
    assert.deepEqual(brokenLinks([COLLECTION, WORKING]), [COLLECTION]);
  });

  it('names the cause the banner has a title for', () => {
    assert.equal(bannerCause(EXPIRED_GALLERY), 'expired');
    assert.equal(bannerCause({ cause: 'exhausted' }), 'exhausted');
    assert.equal(bannerCause({ cause: 'something_new' }), 'unknown');
    for (const cause of [...BANNER_CAUSES, 'unknown']) assert.ok(t.has(`banner.cause.${cause}`), cause);
  });

  it('re-shares the gallery, the image (kind=media) or nothing', () => {
    assert.deepEqual(reshareTarget(EXPIRED_GALLERY), { galleryId: 'G0000e4F0ZPx2gH7' });
    assert.deepEqual(reshareTarget(REVOKED_SHARE), { galleryId: 'G0000kU16xDVlQ8k' });
    assert.deepEqual(reshareTarget(IMAGE), { mediaIds: ['I0000sIgWVtMRMI8'] });
    assert.deepEqual(reshareTarget({ ...EXPIRED_GALLERY, container_id: null }), { galleryId: 'G0000e4F0ZPx2gH7' });
    assert.equal(reshareTarget(COLLECTION), null);
    assert.equal(reshareTarget({ ...COLLECTION, container_id: 'C0000cCequm4BmmS' }), null);
    assert.equal(reshareTarget(null), null);
  });

  it('prefills the share panel with the target and the requester', () => {
    assert.deepEqual(resharePrefill(EXPIRED_GALLERY, { name: 'Sam', email: ' sam@peak.example ' }), {
      galleryId: 'G0000e4F0ZPx2gH7',
      recipients: ['sam@peak.example'],
      replaces: { url: EXPIRED_GALLERY.url, cause: 'expired', shareId: null },
    });
    assert.deepEqual(resharePrefill(IMAGE, null), {
      mediaIds: ['I0000sIgWVtMRMI8'],
      recipients: [],
      replaces: { url: IMAGE.url, cause: 'private', shareId: null },
    });
    assert.equal(resharePrefill(REVOKED_SHARE, { email: 'a@b.co' }).replaces.shareId, 'R--dluDPBOBhTo8I2baO1BNc');
    assert.equal(resharePrefill(COLLECTION, { email: 'a@b.co' }), null);
  });
});
