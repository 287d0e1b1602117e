import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  collectRecipients,
  isEmail,
  parseRecipients,
  recipientChoices,
  splitRecipients,
} from '../../zendesk_app/assets/recipients.js';

describe('recipients', () => {
  it('validates addresses', () => {
    for (const ok of ['sam@peakoutfitters.example', 'a.b+c@mail.example.co.uk', 'X_Y@EXAMPLE.COM']) assert.equal(isEmail(ok), true, ok);
    for (const bad of ['', 'sam', 'sam@', '@x.com', 'sam@localhost', 'a b@x.com', 'sam@x.c', 'sam@-x.com', '<sam@x.com>', 'sam@x..com']) {
      assert.equal(isEmail(bad), false, bad);
    }
  });

  it('splits on commas, semicolons, new lines and spaces, and reads "Name <address>"', () => {
    assert.deepEqual(splitRecipients(' a@x.com, b@x.com;c@x.com\nd@x.com e@x.com ,, '), ['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com']);
    assert.deepEqual(splitRecipients('Sam Whitaker <sam@peak.example>, Jo <jo@x.com>'), ['sam@peak.example', 'jo@x.com']);
    assert.deepEqual(splitRecipients(''), []);
    assert.deepEqual(splitRecipients(null), []);
  });

  it('parses into valid and invalid, dropping case-insensitive duplicates', () => {
    assert.deepEqual(parseRecipients('Sam@Peak.example, sam@peak.example, nope, ops@peak.example'), {
      valid: ['Sam@Peak.example', 'ops@peak.example'],
      invalid: ['nope'],
    });
  });

  it('collects ticked choices and typed addresses, and flags more than 20', () => {
    assert.deepEqual(collectRecipients(['sam@peak.example'], 'SAM@peak.example, ops@peak.example, x'), {
      recipients: ['sam@peak.example', 'ops@peak.example'],
      invalid: ['x'],
      tooMany: false,
    });
    const many = Array.from({ length: 21 }, (_, i) => `p${i}@x.com`).join(',');
    assert.equal(collectRecipients([], many).tooMany, true);
    assert.equal(collectRecipients([], many, 25).tooMany, false);
    assert.deepEqual(collectRecipients([], ''), { recipients: [], invalid: [], tooMany: false });
  });

  it('offers the requester (ticked) and the CCs (not ticked), skipping duplicates and people without an address', () => {
    const choices = recipientChoices(
      { id: 1, name: 'Sam Whitaker', email: 'sam@peak.example' },
      [
        { name: 'Jo', email: 'jo@peak.example' },
        { name: 'Sam again', email: 'SAM@peak.example' },
        { name: 'No email', email: null },
        { name: 'Bad', email: 'not-an-email' },
      ],
      { extra: ['ops@peak.example', 'jo@peak.example'] },
    );
    assert.deepEqual(choices, [
      { email: 'sam@peak.example', name: 'Sam Whitaker', role: 'requester', checked: true },
      { email: 'jo@peak.example', name: 'Jo', role: 'cc', checked: false },
      { email: 'ops@peak.example', name: null, role: 'other', checked: true },
    ]);
    assert.deepEqual(recipientChoices(null, undefined), []);
  });
});
