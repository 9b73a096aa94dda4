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

  describe('in production', () => {
    const safe = {
      NODE_ENV: 'production',
      PLATFORM_URL: 'https://platform.example.cn/api',
      CALLBACK_TOKEN: 'a-long-callback-token-1234',
      APP_KEY: 'a-long-app-key-12345678',
      POSTBACK_SECRET: 'a-long-postback-secret-123',
    };
    const problemsOf = (env: Record<string, string>): string => {
      try {
        parseConfig(env);
        return '';
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
    };

    it('starts with secrets of its own and a platform', () => {
      expect(problemsOf(safe)).to.equal('');
    });

    it('refuses each documented default, naming the variable', () => {
      for (const [name, value] of [['CALLBACK_TOKEN', 'dev-callback-token'], ['APP_KEY', 'dev-app-key'], ['POSTBACK_SECRET', 'dev-postback-secret']]) {
        expect(problemsOf({ ...safe, [name as string]: value as string }), name).to.match(new RegExp(`${name} .*documented development default`));
      }
      const { CALLBACK_TOKEN: _unset, ...withoutToken } = safe;
      expect(problemsOf(withoutToken)).to.match(/CALLBACK_TOKEN \(unset\): is the documented development default/);
    });

    it('refuses short secrets, the staff bootstrap key and the metrics token included', () => {
      expect(problemsOf({ ...safe, APP_KEY: 'short' })).to.match(/APP_KEY .*at least 16 characters/);
      expect(problemsOf({ ...safe, ADMIN_TOKEN: 'admin' })).to.match(/ADMIN_TOKEN .*at least 16 characters/);
      expect(problemsOf({ ...safe, METRICS_TOKEN: '1234' })).to.match(/METRICS_TOKEN .*at least 16 characters/);
    });

    it('refuses to start without the carrier platform', () => {
      const { PLATFORM_URL: _unset, ...withoutPlatform } = safe;
      expect(problemsOf(withoutPlatform)).to.match(/PLATFORM_URL .*must be set in production/);
    });
  });
});
