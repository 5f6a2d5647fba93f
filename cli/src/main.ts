#!/usr/bin/env node
import { isSkiffError } from '@skiff/core';
import { Command, CommanderError } from 'commander';
import { SDK_VERSION } from '@skiff/sdk';
import { CORE_VERSION } from '@skiff/core';
import { resolveConfig } from './config.js';
import { up } from './up.js';

const program = new Command()
  .name('skiff')
  .description('Skiff: a Kubernetes-style orchestrator built from plugins')
  .exitOverride()
  .showHelpAfterError();

program
  .command('version')
  .description('print the versions of the skiff CLI and @skiff/core')
  .action(() => {
    console.log(`skiff ${SDK_VERSION} (@skiff/core ${CORE_VERSION}, node ${process.version})`);
  });

program
  .command('up')
  .description('start Skiff on its embedded defaults and run until interrupted')
  .option('--data-dir <dir>', 'where Skiff keeps its state (default ~/.skiff)')
  .option('--api-port <port>', 'port of the API server on 127.0.0.1 (default 6443; 0 picks a free one)')
  .option('--store <name>', 'the store: sqlite (default, in the data directory), etcd or memory')
  .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated, for --store etcd')
  .option('--runtime <name>', 'container runtime of the local node(s): mock, process or docker')
  .option('--nodes <n>', 'how many nodes to run')
  .option('--config <file>', 'a YAML file with dataDir, apiPort, store, etcdEndpoints, runtime, nodes (flags win)')
  .action(async (flags: Record<string, unknown>) => {
    // Listen for Ctrl+C before starting, so a signal during start-up still stops cleanly.
    // Signal listeners do not keep Node alive; the timer does, until a signal arrives.
    const keepAlive = setInterval(() => undefined, 60_000);
    const stopRequested = new Promise<void>((resolve) => {
      const onSignal = () => {
        clearInterval(keepAlive);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    try {
      const config = resolveConfig(flags);
      const handle = await up(config, (line) => console.log(line));
      await stopRequested;
      await handle.stop();
    } finally {
      clearInterval(keepAlive);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (isSkiffError(err)) {
    console.error(`skiff: error ${err.code}: ${err.message}`);
    console.error('skiff: run `skiff --help` for usage');
    process.exitCode = 1;
  } else {
    console.error(err);
    process.exitCode = 1;
  }
}
