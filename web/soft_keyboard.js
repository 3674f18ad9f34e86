// The on-screen keyboard for ImGui's text fields (the seed, the palette, a weights URL). A phone opens
// its keyboard only for a focused text input, and iOS only when the focus comes from the tap itself,
// while the studio is one canvas. So the studio tells this script where its text fields are drawn
// (setFields: x, y, width, height in CSS pixels, 1 for a number field), a tap on one focuses a hidden
// input laid over it within the tap's own handler (the browser keeps a focused input in view above
// its keyboard), and it goes away when the studio says no field wants text (frame, each frame it
// draws), or when the tap did not make a field want text (a drag that ended on one, a field under a
// popup) within the frames that take the tap.
// Hardware keys still reach SDL's own handlers on the window; a phone keyboard's keys mostly come as
// key code 229 with no key, which SDL cannot read, so the input's own edits (typed text, deletions,
// a word the keyboard composed or corrected) are sent as backspaces and text to the module
// (sprites_soft_input), measured against what the input held before; so is its Enter.
'use strict';
(() => {
  const canvas = document.getElementById('canvas');
  const input = document.createElement('input');
  input.id = 'soft-keyboard';
  input.type = 'text';
  input.setAttribute('aria-hidden', 'true');
  for (const [k, v] of [['autocomplete', 'off'], ['autocorrect', 'off'], ['autocapitalize', 'off'], ['spellcheck', 'false']]) input.setAttribute(k, v);
  // 16 px: iOS zooms the page into a focused input with smaller text.
  input.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;border:0;padding:0;font-size:16px;pointer-events:none';
  const place = ([x, y, w, h, number], box) => {
    Object.assign(input.style, { left: `${box.left + x}px`, top: `${box.top + y}px`, width: `${w}px`, height: `${h}px` });
    input.inputMode = number ? 'numeric' : 'text';
  };
  document.body.appendChild(input);

  // Android keyboards send no deletion from an empty input, so it always holds a few characters the
  // user did not type; a Backspace takes one of them, and that becomes a Backspace in the field.
  const FILLER = '\u00a0'.repeat(8);
  let before = FILLER, fields = [], keyTyped = false, composing = false, framesLeft = 0;
  // Frames the studio draws after a tap before a field must want text: the tap's own (hover, press,
  // release: input_trickle.h), the frame ImGui reports it in, and a margin. Counted in frames, not
  // time: a page busy on a slow phone draws them late, and the keyboard waits for them.
  const ACTIVATION_FRAMES = 6;
  const reset = () => { input.value = before = FILLER; input.setSelectionRange(FILLER.length, FILLER.length); };
  const send = (backspaces, text, enter) =>
    Module.ccall('sprites_soft_input', null, ['number', 'string', 'number'], [backspaces, text, enter ? 1 : 0]);

  window.spritesSoftKeyboard = {
    setFields(list) { fields = list; },
    frame(wanted) {
      if (wanted) {
        framesLeft = 0;
        return;
      }
      if (framesLeft > 0 && --framesLeft > 0) return;  // the tap's frames are still to come
      if (document.activeElement === input) input.blur();
    },
  };

  canvas.addEventListener('touchend', (e) => {
    const t = e.changedTouches[0], box = canvas.getBoundingClientRect();
    const x = t.clientX - box.left, y = t.clientY - box.top;
    const field = fields.find(([fx, fy, fw, fh]) => x >= fx && x < fx + fw && y >= fy && y < fy + fh);
    if (!field) return;
    place(field, box);
    reset();
    input.focus({ preventScroll: true });
    framesLeft = ACTIVATION_FRAMES;
  }, { capture: true, passive: true });

  // A key with a character went to SDL as its text already; the input's copy of it is not sent again.
  input.addEventListener('keydown', (e) => {
    keyTyped = false;
    // A phone keyboard's Enter (Go) comes with no key code SDL can read, and types nothing.
    if (e.key === 'Enter' && !e.code) send(0, '', true);
  });
  input.addEventListener('keypress', () => { keyTyped = true; });
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; });
  input.addEventListener('input', () => {
    const now = input.value;
    if (keyTyped) {
      keyTyped = false;
    } else {
      let same = 0;
      while (same < before.length && same < now.length && before[same] === now[same]) ++same;
      const text = now.slice(same).replace(/\u00a0/g, ' ');
      send(before.length - same, text, false);
    }
    before = now;
    // Refilled once deletions have eaten into the filler or typing has made it long, never while the
    // keyboard is composing a word in it.
    if (!composing && (now.length < FILLER.length / 2 || now.length > 200)) reset();
  });
})();
