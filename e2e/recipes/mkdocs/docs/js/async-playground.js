// Sizes each Async Playground frame of the page from its resize messages.
window.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'async-playground:resize' || typeof data.height !== 'number') return;
  for (const frame of document.querySelectorAll('iframe.async-playground')) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(data.height)}px`;
  }
});
