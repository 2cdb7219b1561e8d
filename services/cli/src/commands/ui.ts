// `distillwatch ui`: serves the live dashboard (@distillwatch/oncall's startDashboard) on
// localhost until interrupted. The access token comes from DISTILLWATCH_UI_TOKEN, or is
// generated and printed once, inside the address to open.
import { randomBytes } from 'node:crypto';
import { startDashboard } from '@distillwatch/oncall';
import { CONNECTION_HELP, loadConfig } from '@distillwatch/platform/config';
import { parseFlags, type Command } from '../command.ts';
import { UserError } from '../errors.ts';

const help = `usage: distillwatch ui [--port P] [--host H] [--new-only]

Serves the live dashboard on http://127.0.0.1:8765/ until interrupted (Ctrl-C): alerts as they
arrive (server-sent events from distillation-alerts), filters by severity and lab, and for a
selected account or campaign its reasons and feature history (account-features) as charts.

Access needs a token: set DISTILLWATCH_UI_TOKEN, or one is generated and the address to open,
with the token in it, is printed once on stdout. The browser then keeps it in a cookie; scripts
may send "Authorization: Bearer <token>" instead.

flags:
  --port P     port to listen on (default 8765; 0 picks a free one)
  --host H     address to bind (default 127.0.0.1: this machine only)
  --new-only   show only alerts and features written from now on (default: the topics' recent
               history too, the last 1000 alerts and 72 windows per account)
  --help       this text

environment:
  DISTILLWATCH_UI_TOKEN               the dashboard's token (default: generated and printed once)
${CONNECTION_HELP}`;

export const ui: Command = {
  name: 'ui',
  summary: 'serve the live dashboard on localhost (token required)',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, { port: { type: 'string' }, host: { type: 'string' }, 'new-only': { type: 'boolean' } });
    const port = values.port === undefined ? 8765 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port: "${values.port}" is not a port number`);
    // A ConfigError from the environment is a one-line user error (see errors.ts).
    const config = loadConfig();
    const fromEnv = process.env.DISTILLWATCH_UI_TOKEN;
    const token = fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : randomBytes(24).toString('base64url');
    let dashboard;
    try {
      dashboard = await startDashboard(config, { port, host: values.host ?? '127.0.0.1', token, fromBeginning: values['new-only'] !== true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError(`--port ${port}: already in use`);
      if (code === 'EADDRNOTAVAIL') throw new UserError(`--host ${values.host}: not an address of this machine`);
      throw err;
    }
    process.stdout.write(fromEnv ? `distillwatch ui: ${dashboard.url} (token from DISTILLWATCH_UI_TOKEN)\n` : `distillwatch ui: ${dashboard.url}?token=${token}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await dashboard.close();
    return 0;
  },
};
