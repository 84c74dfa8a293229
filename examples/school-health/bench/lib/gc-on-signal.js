'use strict';
// Measurement preload (fault run only): with `node --expose-gc --require <this>`, SIGWINCH
// runs a full garbage collection (NestJS's shutdown hooks leave that signal alone), so a heap
// reading taken right after it (/metrics or /monitoring/memory) shows live memory rather than
// garbage not yet collected.
if (typeof global.gc === 'function') {
  process.on('SIGWINCH', () => {
    global.gc();
    global.gc();
  });
}
