#!/usr/bin/env node
import { CORE_VERSION, isSkiffError } from '@skiff/core';
import { Command, CommanderError } from 'commander';
import { SDK_VERSION } from '@skiff/sdk';
import { resolveConfig } from './config.js';
import { joinNode } from './join.js';
import { resolveJoinConfig } from './join-config.js';
import { untilSignal } from './signals.js';
import { up } from './up.js';
import { CLI_VERSION } from './version.js';

const print = (line: string) => console.log(line);

const program = new Command()
  .name('skiff')
  .description('Skiff: a Kubernetes-style orchestrator built from plugins')
  .exitOverride()
  .showHelpAfterError();

program
  .command('version')
  .description('print the versions of the skiff CLI, @skiff/sdk and @skiff/core')
  .action(() => {
    console.log(`skiff ${CLI_VERSION} (@skiff/sdk ${SDK_VERSION}, @skiff/core ${CORE_VERSION}, node ${process.version})`);
  });

program
  .command('up')
  .description('start Skiff on its embedded defaults and run until interrupted')
  .option('--data-dir <dir>', 'where Skiff keeps its state (default ~/.skiff)')
  .option('--api-port <port>', 'port of the API server on 127.0.0.1 (default 6443; 0 picks a free one)')
  .option('--store <name>', 'the store: sqlite (default, in the data directory), etcd or memory')
  .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated, for --store etcd')
  .option('--runtime <name>', 'container runtime of the local node(s): process (default for one node), docker or mock (default for simulated nodes)')
  .option('--docker-host <url>', 'the Docker engine for --runtime docker (default $DOCKER_HOST, else unix:///var/run/docker.sock)')
  .option('--sandbox-image <image>', 'the pod sandbox image for --runtime docker (default registry.k8s.io/pause:3.10)')
  .option('--nodes <n>', 'local nodes: 0 (join nodes instead), 1 (default, named after this host) or more (simulated)')
  .option('--node-monitor-grace-period <duration>', 'how long a node may miss Lease renewals before it is NotReady (default 40s)')
  .option('--pod-eviction-timeout <duration>', 'how long pods stay on an unreachable node before they are evicted (default 5m0s)')
  .option('--config <file>', 'a YAML file with dataDir, apiPort, store, etcdEndpoints, runtime, dockerHost, sandboxImage, nodes, nodeMonitorGracePeriod, podEvictionTimeout (flags win)')
  .action((flags: Record<string, unknown>) => untilSignal(() => up(resolveConfig(flags), print)));

program
  .command('node')
  .description('manage this machine as a node of a cluster')
  .command('join')
  .description('run a node agent here that joins the cluster at --server with the token `skiff up` wrote to <data-dir>/node-token')
  .requiredOption('--server <url>', 'the API server, e.g. https://127.0.0.1:6443')
  .requiredOption('--token <token>', 'the contents of <data-dir>/node-token on the server')
  .option('--name <name>', 'the Node name (default: this host name)')
  .option('--runtime <name>', 'container runtime for pods without runtimeClassName: process (default), docker or mock')
  .option('--docker-host <url>', 'the Docker engine for --runtime docker (default $DOCKER_HOST, else unix:///var/run/docker.sock)')
  .option('--sandbox-image <image>', 'the pod sandbox image for --runtime docker (default registry.k8s.io/pause:3.10)')
  .option('--data-dir <dir>', 'where the node keeps its state (default ~/.skiff/node)')
  .option('--port <port>', 'port of the agent endpoint on 127.0.0.1 that serves pod logs (default 10250; 0 picks a free one)')
  .option('--pod-cidr <cidr>', 'the pod range in 127.0.0.0/8 (default: the first free 127.10.N.0/24)')
  .option('--ca-file <file>', 'the server CA, only needed with a bare token')
  .action((flags: Record<string, unknown>) => untilSignal(() => joinNode(resolveJoinConfig(flags), print)));

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
