import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { BackgroundEventRecorder } from '../src/events.js';
import { podObject } from './fixtures.js';

describe('BackgroundEventRecorder', () => {
  it('holds writes while paused, then writes them; a repeat bumps the count of the Event already written', async () => {
    await using t = await createTestCluster();
    const pod = await t.client.resource('v1', 'Pod').create(podObject('p'));
    const recorder = new BackgroundEventRecorder(t.client, 'default-scheduler', 'test-instance');
    const events = async () => (await t.client.resource('v1', 'Event').list({ namespace: 'default' })).items;
    recorder.pause();
    recorder.event(pod, 'Warning', 'FailedScheduling', 'no room');
    expect(recorder.backlog).toBe(1);
    expect(await events()).toHaveLength(0);
    recorder.resume();
    await recorder.flush();
    const [first] = await events();
    expect(first).toMatchObject({
      type: 'Warning',
      reason: 'FailedScheduling',
      message: 'no room',
      count: 1,
      source: { component: 'default-scheduler' },
      reportingInstance: 'test-instance',
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: pod.metadata.uid },
    });
    recorder.event(pod, 'Warning', 'FailedScheduling', 'no room');
    recorder.event(pod, 'Warning', 'FailedScheduling', 'no room');
    await eventually(async () => {
      const all = await events();
      expect(all).toHaveLength(1);
      expect(all[0]?.count).toBe(3);
    });
    recorder.event(pod, 'Warning', 'FailedScheduling', 'something else');
    await recorder.flush();
    expect(await events()).toHaveLength(2);
    await recorder.close();
    expect(recorder.dropped).toBe(0);
  });
});
