/**
 * Known-answer vectors for every signature and auth scheme the bot computes or checks. The
 * expected values were computed outside this project (coreutils sha256sum and base64 over the
 * spec's formula), so the bot cannot drift from what a real platform computes without failing here.
 */
import { expect } from 'chai';
import { computeSignature, signatureMatches } from '../../src/channels/ctcu/signature.js';
import { authHeaders, basicAuthorization, credentialsProblem, passwordDigest, usernamePasswordAuthorization } from '../../src/channels/maap/auth.js';

describe('known-answer vectors', () => {
  describe('CT/CU callback signature: sha256hex of sorted token, timestamp, nonce joined with nothing', () => {
    it('matches a vector whose inputs are already in order', () => {
      const signature = computeSignature('test-callback-token', '1714557600', '6f1c2a3e-8b0d-4c57-9e21-5a7b3c9d0e11');
      expect(signature).to.equal('feaaff015ceabae75e6ea39eb9a6246ad860f87b13250c1f39f51171ee4be045');
    });

    it('matches a vector that only sorting by code unit gets right (digits < upper case < lower case)', () => {
      expect(computeSignature('abc-token', '1700000000', 'Zulu-nonce')).to.equal('9e71d0ff394acc4bf0380f6110912fce21c9bb3c7465e091047ec2a0625a300f');
      // Unsorted, or joined with a separator, the hash is another one.
      expect(computeSignature('abc-token', '1700000000', 'Zulu-nonce')).not.to.equal('74a42e6e508f9d8d90541d25bdef9e562cbf29bf1b3f4f383c07626a643d80eb');
      expect(computeSignature('abc-token', '1700000000', 'Zulu-nonce')).not.to.equal('364a2f845dbd661882cf6c27efc0de0a97dd743971932e974d747028a1dafe78');
    });

    it('accepts the vector signature in upper case and refuses a one-character change', () => {
      const signature = 'feaaff015ceabae75e6ea39eb9a6246ad860f87b13250c1f39f51171ee4be045';
      expect(signatureMatches('test-callback-token', '1714557600', '6f1c2a3e-8b0d-4c57-9e21-5a7b3c9d0e11', signature.toUpperCase())).to.equal(true);
      expect(signatureMatches('test-callback-token', '1714557601', '6f1c2a3e-8b0d-4c57-9e21-5a7b3c9d0e11', signature)).to.equal(false);
    });
  });

  describe('MaaP XML dialect: Basic base64(appId ":" sha256hex(sha256hex(password) + Date))', () => {
    const credentials = { appId: 'cmcc-app-001', password: 'Cmcc#Pass-2024' };
    const date = 'Wed, 01 May 2024 08:00:00 GMT';
    const expected = 'Basic Y21jYy1hcHAtMDAxOjgxOTM4MGY1M2FhMzdkZTdjMDYzOTMxNjcwNjM4ZmUwODdiY2UxMjY5MmNkZTQ3NGVlZTY1NDg1ZTVjMzk3YzU=';

    it('computes the digest of the vector', () => {
      expect(passwordDigest(credentials.password, date)).to.equal('819380f53aa37de7c063931670638fe087bce12692cde474eee65485e5c397c5');
    });

    it('builds the vector header, and sends the same Date it covers', () => {
      expect(basicAuthorization(credentials, date)).to.equal(expected);
      const headers = authHeaders('xml', credentials, new Date(date));
      expect(headers).to.deep.equal({ date, authorization: expected });
    });

    it('accepts the vector on a callback at that time, and refuses it with another Date or password', () => {
      const at = Date.parse(date);
      expect(credentialsProblem(expected, date, credentials, at)).to.equal(undefined);
      expect(credentialsProblem(expected, 'Wed, 01 May 2024 08:00:01 GMT', credentials, at)).to.match(/wrong credentials/);
      expect(credentialsProblem(expected, date, { ...credentials, password: 'other' }, at)).to.match(/wrong credentials/);
      expect(credentialsProblem(expected, date, credentials, at + 6 * 60_000)).to.match(/date/);
    });
  });

  describe('MaaP JSON dialect: Username="<appId>",Password="<secret>"', () => {
    const credentials = { appId: 'cmcc-app-001', password: 'Cmcc#Pass-2024' };

    it('builds the vector header', () => {
      expect(usernamePasswordAuthorization(credentials)).to.equal('Username="cmcc-app-001",Password="Cmcc#Pass-2024"');
      expect(authHeaders('json', credentials).authorization).to.equal('Username="cmcc-app-001",Password="Cmcc#Pass-2024"');
    });

    it('accepts the vector on a callback, spaced or unquoted, and refuses another password', () => {
      expect(credentialsProblem('Username="cmcc-app-001",Password="Cmcc#Pass-2024"', '', credentials)).to.equal(undefined);
      expect(credentialsProblem('username = "cmcc-app-001", password = "Cmcc#Pass-2024"', '', credentials)).to.equal(undefined);
      expect(credentialsProblem('Username=cmcc-app-001,Password=Cmcc#Pass-2024', '', credentials)).to.equal(undefined);
      expect(credentialsProblem('Username="cmcc-app-001",Password="Cmcc#Pass-2025"', '', credentials)).to.match(/wrong credentials/);
      expect(credentialsProblem('', '', credentials)).to.match(/missing/);
    });
  });
});
