// The slider panel's read-out (see course_lib/live.py): the kernel sends its HTML once, every number
// in an element marked data-q (a quantity: data-q="w5") or data-slot (another text).  The texts come
// with the diagram's state (one message for both, so that both change in the same frame); here each
// text is written into its element, in place: nothing is parsed or built again, and the browser lays
// out again only the cells whose text changed.

export default {
  async render({ model, el }) {
    el.classList.add("course-live-readout");
    const diagram = await model.widget_manager.get_model(model.get("diagram").slice("IPY_MODEL_".length));
    let slots = {};
    const update = () => {
      for (const [key, text] of Object.entries(diagram.get("state").readout || {})) {
        const slot = slots[key];
        if (slot && slot.textContent !== text) slot.textContent = text;
      }
    };
    const build = () => {
      el.innerHTML = model.get("template");
      slots = {};
      for (const slot of el.querySelectorAll("[data-q], [data-slot]")) slots[slot.dataset.q ?? slot.dataset.slot] = slot;
      update();
    };
    model.on("change:template", build);
    diagram.on("change:state", update);
    build();
    return () => {
      model.off("change:template", build);
      diagram.off("change:state", update);
    };
  },
};
