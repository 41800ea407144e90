// A stand-in for H5P's resizer (h5p-resizer.js, which H5P embeds, Moodle's H5P filter and
// sphinx-iframes load), written from its protocol: it sizes each frame marked
// data-resizer="h5p" from the framed page's H5P messages, as a platform that speaks only H5P
// would. The playground speaks it: it says hello, the host answers hello, then each change of
// the lab's height is a round of prepareResize (the host shrinks the frame and answers
// resizePrepared) and resize (the host sets the frame to the height it carries).
'use strict';

(() => {
  const frames = [...document.querySelectorAll('iframe[data-resizer="h5p"]')];
  const frameOf = (source) => frames.find((frame) => frame.contentWindow === source);

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (typeof data !== 'object' || data === null || data.context !== 'h5p') return;
    const frame = frameOf(event.source);
    if (!frame) return;
    const respond = (action) => event.source.postMessage({ context: 'h5p', action }, event.origin);
    if (data.action === 'hello') {
      // The host's own window resizes: the framed page measures again.
      window.addEventListener('resize', () => respond('resize'));
      respond('hello');
    } else if (data.action === 'prepareResize') {
      frame.style.height = '1px';
      respond('resizePrepared');
    } else if (data.action === 'resize' && typeof data.height === 'number') {
      frame.style.height = `${Math.min(6000, Math.max(200, Math.ceil(data.height)))}px`;
    }
  });

  // Once, at load: frames whose address says h5p are told the host is ready (they answer
  // hello). The playground says hello on its own, so it needs no such address.
  for (const frame of frames) {
    if (frame.src.includes('h5p')) frame.contentWindow?.postMessage({ context: 'h5p', action: 'ready' }, '*');
  }
})();
