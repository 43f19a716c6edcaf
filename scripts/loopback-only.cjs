// Preloaded into the Agents Playground (`npm run playground`): its CLI has no option for the
// address and listens on every interface, while it relays whatever it is sent to the bot as
// the Playground user (faculty and admin after the README's grants). A server in this process
// given no host listens on 127.0.0.1 instead, so only this machine can use it.
const net = require("node:net");

const LOOPBACK = "127.0.0.1";
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (first !== null && typeof first === "object" && !("fd" in first) && !("path" in first) && !("_handle" in first)) {
    args[0] = { ...first, host: first.host ?? LOOPBACK };
  } else if ((typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) && typeof second !== "string") {
    args.splice(1, 0, LOOPBACK);
  } else if (first === undefined || typeof first === "function") {
    args.unshift(0, LOOPBACK);
  }
  return listen.apply(this, args);
};
