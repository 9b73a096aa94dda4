/**
 * `npm run staff -- add NAME --role agent|content|campaign|clerk|admin [--hall HALL]`
 *                                     creates an account, prints its key once (a clerk names their hall)
 * `npm run staff -- list`             lists the accounts
 * `npm run staff -- revoke NAME`      revokes an account's key
 * Uses the bot's database (see db/toolConnection.ts); every change is in the audit log. A clerk's
 * hall is checked against the halls of intents/appointments/halls.yaml.
 */
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAppointmentContent } from '../appointments/content/load.js';
import { loadCatalog } from '../catalog/catalog.js';
import { loadConfig } from '../config.js';
import { connectTool } from '../db/toolConnection.js';
import { createLogger } from '../log.js';
import { AccountExists, StaffAccounts } from './accounts.js';
import { AuditLog } from './audit.js';
import { hallProblem, STAFF_ROLES, type StaffIdentity, type StaffRole } from './roles.js';

const USAGE = `usage: npm run staff -- add NAME --role ${STAFF_ROLES.join('|')} [--hall HALL] | list | revoke NAME`;
/** intents/ beside src/ (under tsx) or dist/ (built). */
const INTENTS = fileURLToPath(new URL('../../intents', import.meta.url));

/** The halls that take appointments, from the content the bot runs with. */
function hallsTakingAppointments(): string[] {
  return loadAppointmentContent(INTENTS, loadCatalog(INTENTS)).halls.map((hall) => hall.hallId);
}
/** Who did it, in the audit log: the operating system user at this machine's console. */
const OPERATOR: StaffIdentity = { id: 'cli', name: `cli:${userInfo().username}`, role: 'admin' };

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { role: { type: 'string' }, hall: { type: 'string' } } });
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
      const hall = values.hall;
      const problem = hallProblem(role as StaffRole, hall, role === 'clerk' ? hallsTakingAppointments() : []);
      if (problem) fail(`--hall: ${problem}\n${USAGE}`);
      const created = await accounts.create(name, role as StaffRole, OPERATOR.name, hall);
      await audit.record({ actor: OPERATOR, action: 'staff.create', target: name, address: 'console', details: { role, ...(hall ? { hall } : {}) } });
      console.log(`created ${created.account.role} account "${name}"${hall ? ` for hall ${hall}` : ''}. Its key (shown only now, keep it safe):\n${created.key}`);
    } else if (command === 'list') {
      for (const account of await accounts.list()) console.log(`${account.name}\t${account.role}${account.hall ? ` (${account.hall})` : ''}\t${account.revokedAt ? 'revoked' : 'active'}\tcreated ${account.createdAt.toISOString()} by ${account.createdBy}`);
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
