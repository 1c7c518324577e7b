//! Reaching JavaScript members that web-sys does not bind (newer than its
//! bindings, or not standard): looked up by name, absent where an engine
//! lacks them.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::Node;

/// `target[name]`, if it is there.
pub fn field(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &name.into())
        .ok()
        .filter(|v| !v.is_undefined())
}

/// The method `target[name]`, if the engine has it.
pub fn method(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    field(target, name)?.dyn_into().ok()
}

/// `{shadowRoots: [root]}` when `from` is inside a shadow root, else `{}`:
/// the option with which `getComposedRanges` and `caretPositionFromPoint`
/// see into the widget's shadow root.
pub fn shadow_roots_option(from: &Node) -> js_sys::Object {
    let options = js_sys::Object::new();
    let root = from.get_root_node();
    if root.is_instance_of::<web_sys::ShadowRoot>() {
        let _ = js_sys::Reflect::set(&options, &"shadowRoots".into(), &js_sys::Array::of1(&root));
    }
    options
}
