// Kubernetes protobuf bodies as kubectl sends them, built by hand for tests: the `k8s\0` magic and
// a runtime.Unknown envelope (typeMeta 1, raw 2) around the object's generated.proto message.
// Field numbers are those of k8s.io/api and k8s.io/apimachinery's generated.proto files.

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const bytesField = (field: number, bytes: Uint8Array | number[]) => [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
const stringField = (field: number, value: string) => bytesField(field, [...Buffer.from(value, "utf8")]);
const varintField = (field: number, value: number) => [...varint(field << 3), ...varint(value)];

function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  const typeMeta = [...stringField(1, apiVersion), ...stringField(2, kind)];
  return Buffer.from([...Buffer.from("k8s\0", "latin1"), ...bytesField(1, typeMeta), ...bytesField(2, raw), ...stringField(3, ""), ...stringField(4, "")]);
}

export function encodeConfigMapProto(name: string, namespace: string, data: Record<string, string>): Buffer {
  const metadata = [...stringField(1, name), ...stringField(3, namespace)];
  const entries = Object.entries(data).flatMap(([key, value]) => bytesField(2, [...stringField(1, key), ...stringField(2, value)]));
  return envelope("v1", "ConfigMap", [...bytesField(1, metadata), ...entries]);
}

export function encodeDeleteOptionsProto(options: { gracePeriodSeconds?: number; propagationPolicy?: string }): Buffer {
  const raw = [
    ...(options.gracePeriodSeconds !== undefined ? varintField(1, options.gracePeriodSeconds) : []),
    ...(options.propagationPolicy ? stringField(4, options.propagationPolicy) : []),
  ];
  return envelope("v1", "DeleteOptions", raw);
}
