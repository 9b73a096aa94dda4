import { expect } from 'chai';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('configuration', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = parseConfig({});
    expect(config.PORT).to.equal(3000);
    expect(config.CHATBOT_ID).to.equal('sip:106500@botplatform.rcs.domain.cn');
    expect(config.PLATFORM_API_VERSION).to.equal('v1');
    expect(config.DATA_DIR).to.equal('./data');
    expect(config.MONGODB_URI).to.equal(undefined);
    expect(config.PLATFORM_URL).to.equal(undefined);
    expect(config.SIMULATOR_PORT).to.equal(3001);
    expect(config.SESSION_IDLE_MINUTES).to.equal(30);
    expect(config.TIMEZONE).to.equal('Asia/Shanghai');
  });

  it('refuses a time zone that is not one', () => {
    expect(() => parseConfig({ TIMEZONE: 'Mars/Olympus' })).to.throw(ConfigError, /TIMEZONE \("Mars\/Olympus"\): must be an IANA time zone/);
  });

  it('names every bad variable and what is wrong with it', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', MONGODB_URI: 'http://db', SEND_RATE: '-3' });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.match(/PORT \("eighty"\)/);
    expect(problems).to.match(/MONGODB_URI \("http:\/\/db"\): must start with mongodb:\/\//);
    expect(problems).to.match(/SEND_RATE \("-3"\)/);
  });

  it('treats an empty variable as unset', () => {
    const config = parseConfig({ PLATFORM_URL: '', MONGODB_URI: '' });
    expect(config.PLATFORM_URL).to.equal(undefined);
    expect(config.MONGODB_URI).to.equal(undefined);
  });

  it('refuses a notify path with a trailing slash', () => {
    expect(() => parseConfig({ NOTIFY_PATH: '/rcs/' })).to.throw(ConfigError, /NOTIFY_PATH/);
  });
});
