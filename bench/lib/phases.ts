import { spawn } from 'node:child_process';

const RESULT = 'RESULT ';

/**
 * Runs one phase of a benchmark in a child process, so phases do not share a heap: `script` is
 * started again with `envName` holding `spec` as JSON; the child's `bench …` progress lines are
 * echoed, and the phase's figures come back from its `RESULT <json>` line (see {@link phaseResult}).
 */
export function runPhaseInChild<T>(suite: string, script: string, envName: string, spec: { phase: string } & Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      env: { ...process.env, [envName]: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      for (const line of chunk.split('\n')) if (line.startsWith('bench ')) console.log(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) return reject(new Error(`bench ${suite}: the ${spec.phase} phase exited with ${code}`));
      resolve(JSON.parse(line.slice(RESULT.length)) as T);
    });
  });
}

/** In a phase's child process: reports its figures to the parent and exits. */
export function phaseResult(result: unknown): never {
  process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
  process.exit(0);
}
