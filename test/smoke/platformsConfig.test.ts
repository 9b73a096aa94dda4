import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../src/config.js';

const YAML = `
platforms:
  - id: ctcu
    family: ctcu
    chatbotId: sip:106500@botplatform.rcs.domain.cn
    serverRoot: https://ctcu.example/api
    appId: ct-app
    appKey: \${CT_APP_KEY}
    callbackToken: ct-token
  - id: cmcc
    family: maap
    dialect: xml
    chatbotId: sip:12599@botplatform.rcs.chinamobile.com
    appId: cm-app
    password: \${CM_PASSWORD}
    notifyPath: /cmcc
    callbackAllowedIps: [10.0.0.0/8, "2001:db8::1"]
`;

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('configuration of several platforms', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'platforms-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes one CT/CU platform of the single-platform variables, with the China Mobile demo chatbots when the simulator plays it', () => {
    expect(parseConfig({}).platforms.map((platform) => platform.id)).to.deep.equal(['ctcu', 'cmcc-xml', 'cmcc-json']);
    const real = parseConfig({ PLATFORM_URL: 'https://ctcu.example/api', CHATBOT_ID: 'sip:1@x.cn', APP_KEY: 'k' }).platforms;
    expect(real).to.deep.equal([{ id: 'ctcu', family: 'ctcu', chatbotId: 'sip:1@x.cn', serverRoot: 'https://ctcu.example/api', apiVersion: 'v1', appId: 'dev-app-id', appKey: 'k', callbackToken: 'dev-callback-token' }]);
  });

  it('reads a YAML platforms file, with secrets from the environment', () => {
    const file = join(dir, 'platforms.yaml');
    writeFileSync(file, YAML);
    const { platforms } = parseConfig({ PLATFORMS_FILE: file, CT_APP_KEY: 'ct-secret', CM_PASSWORD: 'cm-secret' });
    expect(platforms).to.have.length(2);
    expect(platforms[0]).to.include({ id: 'ctcu', appKey: 'ct-secret', apiVersion: 'v1' });
    expect(platforms[1]).to.deep.include({ id: 'cmcc', family: 'maap', dialect: 'xml', password: 'cm-secret', notifyPath: '/cmcc', sendPath: 'interaction', verifyCallbackCredentials: true });
  });

  it('reads the same document as JSON from PLATFORMS', () => {
    const platforms = [{ id: 'cm', family: 'maap', dialect: 'json', chatbotId: 'sip:1@cm.cn', appId: 'a', password: 'p' }];
    expect(parseConfig({ PLATFORMS: JSON.stringify({ platforms }) }).platforms[0]).to.include({ id: 'cm', dialect: 'json' });
  });

  it('names what is wrong in the document, where', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, YAML.replace('dialect: xml', 'dialect: soap').replace('id: cmcc', 'id: ctcu'));
    const problems = problemsOf({ PLATFORMS_FILE: file, CT_APP_KEY: 'x' });
    expect(problems).to.match(/PLATFORMS_FILE \(.*bad\.yaml\)/);
    expect(problems).to.match(/\$\{CM_PASSWORD\} is used but the variable is not set/);
    expect(problems).to.match(/platforms\[1\]/);
  });

  it('refuses two chatbots with one id, a MaaP platform that checks callbacks in no way, and a bad allow-list entry', () => {
    const twice = [
      { id: 'a', family: 'maap', dialect: 'json', chatbotId: 'sip:1@cm.cn', appId: 'a', password: 'p' },
      { id: 'a', family: 'maap', dialect: 'json', chatbotId: 'sip:2@cm.cn', appId: 'a', password: 'p' },
    ];
    expect(problemsOf({ PLATFORMS: JSON.stringify({ platforms: twice }) })).to.match(/id "a" is used twice/);
    const unchecked = [{ id: 'a', family: 'maap', dialect: 'json', chatbotId: 'sip:1@cm.cn', appId: 'a', password: 'p', verifyCallbackCredentials: false }];
    expect(problemsOf({ PLATFORMS: JSON.stringify({ platforms: unchecked }) })).to.match(/callbacks must be checked somehow/);
    const badIp = [{ id: 'a', family: 'maap', dialect: 'json', chatbotId: 'sip:1@cm.cn', appId: 'a', password: 'p', callbackAllowedIps: ['10.0.0.0/99'] }];
    expect(problemsOf({ PLATFORMS: JSON.stringify({ platforms: badIp }) })).to.match(/IP address or CIDR block/);
  });

  it('refuses a platforms document beside the single-platform variables, and both PLATFORMS and PLATFORMS_FILE', () => {
    const platforms = JSON.stringify({ platforms: [{ id: 'cm', family: 'maap', dialect: 'json', chatbotId: 'sip:1@cm.cn', appId: 'a', password: 'p' }] });
    expect(problemsOf({ PLATFORMS: platforms, CHATBOT_ID: 'sip:9@x.cn' })).to.match(/CHATBOT_ID .*not used with PLATFORMS/);
    expect(problemsOf({ PLATFORMS: platforms, PLATFORMS_FILE: join(dir, 'none.yaml') })).to.match(/set only one of them/);
  });
});
