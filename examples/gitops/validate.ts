// `npm run validate -- environments/dev environments/prod`: checks environment files without Pulumi, credentials or
// network — for a pre-commit hook or the first step of a pull-request pipeline (before `pulumi preview`).
import { EnvironmentError, loadEnvironment } from "./environment";

/** Validates each directory; writes one summary line per valid one and every problem of the others. Returns the exit code. */
export function validate(dirs: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  if (dirs.length === 0) {
    out("usage: validate <environment dir>... (e.g. environments/dev)");
    return 2;
  }
  let failed = false;
  for (const dir of dirs) {
    try {
      const env = loadEnvironment(dir);
      const groups = env.apps.reduce((n, a) => n + a.groups.length, 0);
      const seeds = env.apps.reduce((n, a) => n + a.groups.reduce((m, g) => m + g.seedMessages.length, 0), 0);
      out(`${dir}: ok — ${env.apps.length} apps, ${groups} groups, ${seeds} seed messages in ${env.files.length} files`);
    } catch (e) {
      if (!(e instanceof EnvironmentError)) throw e;
      failed = true;
      out(e.message);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = validate(process.argv.slice(2));
