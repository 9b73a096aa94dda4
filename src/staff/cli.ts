/**
 * `npm run staff -- add NAME --role agent|content|campaign|admin`  creates an account, prints its key once
 * `npm run staff -- list`                                          lists the accounts
 * `npm run staff -- revoke NAME`                                   revokes an account's key
 * Uses the bot's database (see db/toolConnection.ts); every change is in the audit log.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { connectTool } from '../db/toolConnection.js';
import { createLogger } from '../log.js';
import { AccountExists, StaffAccounts } from './accounts.js';
import { AuditLog } from './audit.js';
import { STAFF_ROLES, type StaffIdentity, type StaffRole } from './roles.js';

const USAGE = `usage: npm run staff -- add NAME --role ${STAFF_ROLES.join('|')} | list | revoke NAME`;
/** Who did it, in the audit log: the operating system user at this machine's console. */
const OPERATOR: StaffIdentity = { id: 'cli', name: `cli:${userInfo().username}`, role: 'admin' };

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { role: { type: 'string' } } });
  const [command, name] = positionals;
  const config = loadConfig();
  const db = await connectTool({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR }, createLogger('warn', 'staff'));
  const accounts = new StaffAccounts(db.connection);
  const audit = new AuditLog(db.connection);
  await Promise.all([accounts.init(), audit.init()]);
  try {
    if (command === 'add' && name) {
      const role = values.role;
      if (!role || !(STAFF_ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${STAFF_ROLES.join(', ')}\n${USAGE}`);
      const created = await accounts.create(name, role as StaffRole, OPERATOR.name);
      await audit.record({ actor: OPERATOR, action: 'staff.create', target: name, address: 'console', details: { role } });
      console.log(`created ${created.account.role} account "${name}". Its key (shown only now, keep it safe):\n${created.key}`);
    } else if (command === 'list') {
      for (const account of await accounts.list()) console.log(`${account.name}\t${account.role}\t${account.revokedAt ? 'revoked' : 'active'}\tcreated ${account.createdAt.toISOString()} by ${account.createdBy}`);
    } else if (command === 'revoke' && name) {
      const revoked = await accounts.revoke(name);
      if (!revoked) fail(`no active account named "${name}"`);
      await audit.record({ actor: OPERATOR, action: 'staff.revoke', target: name, address: 'console' });
      console.log(`revoked "${name}"`);
    } else {
      fail(USAGE);
    }
  } catch (error) {
    if (error instanceof AccountExists) fail(error.message);
    throw error;
  } finally {
    await db.close();
  }
}

await main();
