export { EventRecorder, type EventRecorderOptions, type EventType } from './event-recorder.js';
