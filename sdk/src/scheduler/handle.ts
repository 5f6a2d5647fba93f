import type { ObjectBase } from '@skiff/core';
import type { Client } from '../client/client.js';
import type { Snapshot } from './node-info.js';

/** Writes core v1 Events; repeated identical events (same object, reason and message) bump `count`. */
export interface EventRecorder {
  /** Records an event about `regarding`; never throws and never blocks scheduling (written in the background). */
  event(regarding: ObjectBase, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** A pod whose Permit said `Wait`. */
export interface WaitingPod {
  readonly uid: string;
  readonly nodeName: string;
  /** Plugins still to allow it. */
  pendingPlugins(): string[];
  /** `plugin` approves; once every waiting plugin has, binding goes on. */
  allow(plugin: string): void;
  /** Rejects the pod: it is unreserved and re-queued as unschedulable with `message`. */
  reject(plugin: string, message: string): void;
}

/**
 * What a scheduler plugin gets when it is created: the way to the API and to the scheduler's
 * state. Plugins hold nothing global; everything comes from here.
 */
export interface SchedulerHandle {
  /** Writes go through the API (admission and validation apply). */
  readonly client: Client;
  /** The nodes and the pods on them as the scheduler sees them; read-only. */
  readonly snapshot: Snapshot;
  /** Records Events (deduplicated). */
  readonly events: EventRecorder;
  /** The profile (`spec.schedulerName`) this plugin instance belongs to. */
  readonly profileName: string;
  /** A pod waiting at Permit, by uid. */
  waitingPod(uid: string): WaitingPod | undefined;
  /** Every pod waiting at Permit. */
  waitingPods(): WaitingPod[];
}
