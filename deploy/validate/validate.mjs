// Offline check of Kubernetes manifests, for deploy/check.sh. Nothing here talks to a cluster or
// to the network: the schemas ship inside the npm packages installed from package-lock.json.
//
//   node validate.mjs manifests STREAM.yaml...        each file: one multi-document YAML stream,
//                                                     checked alone (references stay inside it)
//   node validate.mjs values SCHEMA.json VALUES.json... Helm values against values.schema.json
//
// For each object of a stream:
//   1. YAML: parses, no duplicate keys, one mapping per document.
//   2. Schema (kubernetes-models): apiVersion/kind known (an unknown kind is an error), types,
//      required fields, formats and enums, from the Kubernetes OpenAPI schemas it bundles.
//   3. Unknown fields (@kubernetes/client-node's generated models): every key must be a field of
//      its type, as the API server's strict field validation demands. kubernetes-models does
//      not reject extra keys, so a typo like `terminationGracePeriodSecond` needs this step.
// Then, across the objects of one stream, checks no schema can express (see crossChecks).
// Exit code: 0 when all is well, 1 on any error, 2 on bad usage.

import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const errors = [];
const err = (where, msg) => errors.push(`${where}: ${msg}`);
const modelCache = new Map(); // @kubernetes/client-node model classes by type name

// ---------------------------------------------------------------------------------------------

async function checkStream(file) {
  const text = readFileSync(file, "utf8");
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  const objects = [];
  for (const [i, doc] of docs.entries()) {
    const where = `${file}#${i + 1}`;
    for (const e of doc.errors) err(where, `YAML: ${e.message}`);
    if (doc.errors.length > 0) continue;
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue; // empty document (e.g. between two ---)
    if (typeof obj !== "object" || Array.isArray(obj)) {
      err(where, "a document must be a mapping (a Kubernetes object)");
      continue;
    }
    const name = obj?.metadata?.name;
    const label = `${where} ${obj.kind ?? "?"}/${name ?? "?"}`;
    if (!obj.apiVersion || !obj.kind) {
      err(label, "apiVersion and kind are required");
      continue;
    }
    if (!name) err(label, "metadata.name is required");
    await checkSchema(obj, label);
    await checkUnknownFields(obj, label);
    objects.push({ obj, label });
  }
  if (objects.length === 0) err(file, "no Kubernetes object in this stream");
  crossChecks(objects);
  console.log(`${file}: ${objects.length} object(s) checked: ${objects.map((o) => `${o.obj.kind}/${o.obj.metadata?.name}`).join(", ")}`);
}

function splitApiVersion(apiVersion) {
  const i = apiVersion.lastIndexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

async function checkSchema(obj, label) {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const spec = `kubernetes-models/${group ? `${group}/` : ""}${version}/${obj.kind}`;
  let Model;
  try {
    Model = (await import(spec))[obj.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    err(label, `no schema for ${obj.apiVersion} ${obj.kind} (unknown or misspelt apiVersion/kind)`);
    return;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    for (const line of String(e.message).split("\n").filter(Boolean)) err(label, `schema: ${line}`);
  }
}

// The @kubernetes/client-node model of a group/version/kind: V1Deployment, V1Role, V2HorizontalPodAutoscaler.
async function model(type) {
  if (!modelCache.has(type)) {
    let cls;
    try {
      cls = (await import(`@kubernetes/client-node/dist/gen/models/${type}.js`))[type];
    } catch {
      cls = undefined;
    }
    modelCache.set(type, cls);
  }
  return modelCache.get(type);
}

async function checkUnknownFields(obj, label) {
  const { version } = splitApiVersion(obj.apiVersion);
  const type = `${version[0].toUpperCase()}${version.slice(1)}${obj.kind}`;
  if (!(await model(type))) {
    err(label, `no field list for ${type} in @kubernetes/client-node`);
    return;
  }
  await walk(obj, type, "", label);
}

async function walk(value, type, path, label) {
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) {
    if (Array.isArray(value)) for (const [i, v] of value.entries()) await walk(v, m[1], `${path}[${i}]`, label);
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) await walk(v, m[1], `${path}.${k}`, label);
    return;
  }
  if (["string", "number", "boolean", "Date", "any", "object", "IntOrString"].includes(type)) return;
  const cls = await model(type);
  if (!cls) return; // a type the generator left opaque: nothing to compare against
  if (typeof value !== "object" || Array.isArray(value)) return; // wrong shape: the schema step reports it
  const fields = new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const where = path ? `${path}.${k}` : k;
    if (!fields.has(k)) {
      err(label, `unknown field "${where}" (not a field of ${type})`);
      continue;
    }
    await walk(v, fields.get(k), where, label);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks across the objects of one stream: what the API server or the kubelet would reject, or
// what makes the Flows cluster not work although each object is valid alone.

function podTemplate(obj) {
  if (obj.kind === "Pod") return { metadata: obj.metadata, spec: obj.spec };
  if (obj.kind === "CronJob") return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

function crossChecks(objects) {
  const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
  const seen = new Set();
  for (const { obj, label } of objects) {
    const key = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
    if (seen.has(key)) err(label, "the same object appears twice in this stream");
    seen.add(key);
  }

  const serviceAccounts = new Set(byKind("ServiceAccount").map((o) => o.obj.metadata.name));
  const roles = new Map(byKind("Role").map((o) => [o.obj.metadata.name, o.obj]));
  const bindings = byKind("RoleBinding").map((o) => o.obj);
  const services = new Map(byKind("Service").map((o) => [o.obj.metadata.name, o.obj]));
  const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"].includes(o.obj.kind));

  for (const { obj, label } of byKind("RoleBinding")) {
    if (obj.roleRef?.kind === "Role" && !roles.has(obj.roleRef.name)) err(label, `roleRef: no Role "${obj.roleRef.name}" in this set`);
    for (const s of obj.subjects ?? [])
      if (s.kind === "ServiceAccount" && s.name !== "default" && !serviceAccounts.has(s.name))
        err(label, `subject: no ServiceAccount "${s.name}" in this set`);
  }

  for (const { obj, label } of byKind("Service")) {
    const sel = obj.spec?.selector;
    if (!sel) continue;
    const targets = workloads.filter((w) => matches(sel, podTemplate(w.obj)?.metadata?.labels));
    if (targets.length === 0) err(label, `selector ${JSON.stringify(sel)} matches no pod template in this set`);
    for (const p of obj.spec?.ports ?? []) {
      if (typeof p.targetPort !== "string") continue;
      const named = targets.some((w) => (podTemplate(w.obj)?.spec?.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)));
      if (targets.length && !named) err(label, `targetPort "${p.targetPort}" is not a named port of the selected pods`);
    }
  }

  for (const { obj, label } of workloads) {
    const tpl = podTemplate(obj);
    const spec = tpl?.spec;
    if (!spec) continue;
    const podLabels = tpl.metadata?.labels ?? {};
    if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(obj.kind)) {
      const sel = obj.spec?.selector?.matchLabels ?? {};
      if (!matches(sel, podLabels)) err(label, `spec.selector.matchLabels ${JSON.stringify(sel)} do not match the pod template's labels`);
    }
    const sa = spec.serviceAccountName;
    if (sa && sa !== "default" && !serviceAccounts.has(sa)) err(label, `serviceAccountName "${sa}": no such ServiceAccount in this set`);
    const volumes = new Set((spec.volumes ?? []).map((v) => v.name));
    const gracePeriod = spec.terminationGracePeriodSeconds ?? 30;

    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const cl = `${label} container ${c.name}`;
      const ports = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = c[probe]?.tcpSocket?.port ?? c[probe]?.httpGet?.port ?? c[probe]?.grpc?.port;
        if (typeof port === "string" && !ports.has(port)) err(cl, `${probe} uses port "${port}", which the container does not name`);
      }
      const env = (c.env ?? []).map((e) => e.name);
      const dup = env.filter((n, i) => env.indexOf(n) !== i);
      if (dup.length) err(cl, `env defined twice: ${[...new Set(dup)].join(", ")}`);
      for (const vm of c.volumeMounts ?? []) if (!volumes.has(vm.name)) err(cl, `volumeMount "${vm.name}" has no volume`);
      const envValue = (n) => (c.env ?? []).find((e) => e.name === n);
      const shutdown = Number(envValue("DOTNET_SHUTDOWNTIMEOUTSECONDS")?.value);
      if (shutdown && !(gracePeriod > shutdown))
        err(cl, `terminationGracePeriodSeconds (${gracePeriod}) must exceed DOTNET_SHUTDOWNTIMEOUTSECONDS (${shutdown}), or the silo is killed mid-shutdown`);

      const argv = [...(c.command ?? []), ...(c.args ?? [])].map(String);
      const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
      const redis = opt("--redis") ?? envValue("FLOWS_REDIS")?.value;
      if (redis) checkRedis(redis, services, cl);
      if (argv.includes("--kubernetes")) checkOrleansKubernetes({ c, cl, spec, podLabels, roles, bindings, argv, opt });
    }
  }
}

// A Redis address without a dot is a Service of this set (HOST:PORT, the Service's port).
function checkRedis(address, services, where) {
  const [host, port] = address.split(":");
  if (!host || !/^\d+$/.test(port ?? "")) {
    err(where, `Redis address "${address}" is not HOST:PORT`);
    return;
  }
  if (host.includes(".")) return; // external (or a fully qualified Service name): not checked here
  const svc = services.get(host);
  if (!svc) err(where, `Redis address "${address}": no Service "${host}" in this set`);
  else if (!(svc.spec?.ports ?? []).some((p) => p.port === Number(port))) err(where, `Redis address "${address}": Service "${host}" has no port ${port}`);
}

// What Microsoft.Orleans.Hosting.Kubernetes needs of the pod running `worker --kubernetes`.
function checkOrleansKubernetes({ c, cl, spec, podLabels, roles, bindings, argv, opt }) {
  const fieldRef = (n) => (c.env ?? []).find((e) => e.name === n)?.valueFrom?.fieldRef?.fieldPath;
  const wanted = {
    POD_NAME: "metadata.name",
    POD_NAMESPACE: "metadata.namespace",
    POD_IP: "status.podIP",
    ORLEANS_SERVICE_ID: "metadata.labels['orleans/serviceId']",
    ORLEANS_CLUSTER_ID: "metadata.labels['orleans/clusterId']",
  };
  for (const [n, path] of Object.entries(wanted))
    if (fieldRef(n) !== path) err(cl, `--kubernetes: env ${n} must come from the downward API (fieldRef ${path})`);
  for (const l of ["orleans/serviceId", "orleans/clusterId"]) if (!podLabels[l]) err(cl, `--kubernetes: the pod needs the label ${l}`);
  for (const [flag, l] of [["--service-id", "orleans/serviceId"], ["--cluster-id", "orleans/clusterId"]]) {
    const v = opt(flag);
    if (v !== undefined && podLabels[l] !== undefined && v !== podLabels[l]) err(cl, `${flag} ${v} differs from the pod label ${l}=${podLabels[l]}`);
  }
  if (spec.automountServiceAccountToken === false) err(cl, "--kubernetes: the pod must mount its service account token (in-cluster config)");
  const sa = spec.serviceAccountName ?? "default";
  const verbs = new Set();
  for (const b of bindings) {
    if (!(b.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === sa)) continue;
    const role = b.roleRef?.kind === "Role" ? roles.get(b.roleRef.name) : undefined;
    for (const r of role?.rules ?? [])
      if ((r.apiGroups ?? []).includes("") && (r.resources ?? []).includes("pods")) for (const v of r.verbs ?? []) verbs.add(v);
  }
  const missing = ["get", "list", "watch", "patch", "delete"].filter((v) => !verbs.has(v) && !verbs.has("*"));
  if (missing.length) err(cl, `--kubernetes: service account "${sa}" is not granted ${missing.join(", ")} on pods by a Role in this set`);
  for (const port of ["--silo-port", "--gateway-port"]) {
    const v = opt(port);
    if (v !== undefined && !(c.ports ?? []).some((p) => p.containerPort === Number(v))) err(cl, `${port} ${v} is not a containerPort`);
  }
  if (!argv.includes("--assembly") && !(c.env ?? []).some((e) => e.name === "FLOWS_ASSEMBLY")) err(cl, "worker: --assembly (or FLOWS_ASSEMBLY) is required");
}

function matches(selector, labels) {
  if (!labels) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// ---------------------------------------------------------------------------------------------

function checkValues(schemaFile, valueFiles) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
  for (const f of valueFiles) {
    const values = JSON.parse(readFileSync(f, "utf8"));
    if (!validate(values)) for (const e of validate.errors) err(f, `values${e.instancePath.replaceAll("/", ".")} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
    else console.log(`${f}: values match ${schemaFile}`);
  }
}

// ---------------------------------------------------------------------------------------------

const [mode, ...rest] = process.argv.slice(2);
if (mode === "manifests" && rest.length > 0) {
  for (const file of rest) await checkStream(file);
} else if (mode === "values" && rest.length > 1) {
  checkValues(rest[0], rest.slice(1));
} else {
  console.error("usage: node validate.mjs manifests STREAM.yaml... | values SCHEMA.json VALUES.json...");
  process.exit(2);
}
if (errors.length > 0) {
  for (const e of errors) console.error(`ERROR ${e}`);
  console.error(`validate: ${errors.length} error(s)`);
  process.exit(1);
}
