#!/usr/bin/env python3
r"""Extracts Kubernetes' documentation of the API types kubeactor serves into the compact JSON
resource its OpenAPI documents take their descriptions from (so that `kubectl explain` prints them).

Inputs:
  --served   kubeactor's own /openapi/v2 document (`kubectl get --raw /openapi/v2`), which names the
             definitions and properties it serves; only those are kept.
  --spec     Kubernetes' published api/openapi-spec/swagger.json; give several, the reference
             release first: a later one only fills in types and fields the earlier ones lack.
  --crd      a CustomResourceDefinition manifest (YAML, several documents allowed) for kinds that
             are not built in (the VerticalPodAutoscaler's): its schema is walked beside the served one.
  --source   where each --spec and --crd came from, in order, recorded in the output.

Output (stdout), compact: {"definitions": {name: {"description": ..., "properties": {field: ...}}},
"sources": [...]}. The resource was made so:

  kubectl get --raw /openapi/v2 > served.json     # from a running kubeactor
  scripts/openapi-descriptions.py --served served.json \
    --spec swagger-1.32.json --source "kubernetes release-1.32 api/openapi-spec/swagger.json ..." \
    --spec swagger-1.34.json --source "kubernetes release-1.34 ..." \
    --crd vpa-v1-crd-gen.yaml --source "kubernetes/autoscaler vertical-pod-autoscaler/v1.5.1 ..." \
    > control-plane/src/main/resources/io/kubeactor/controlplane/apiserver/openapi/descriptions.json

Run it again when kubeactor serves new kinds or fabric8 brings new fields (OpenApiTest checks
that every Kubernetes kind served has a description).
"""
import argparse
import json
import sys

REF = "#/definitions/"


def served_ref(schema):
    """The definition a served property refers to, directly or through its items or values, and
    the key ("", "items", "additionalProperties") that leads there."""
    for key in ("", "items", "additionalProperties"):
        s = schema.get(key) if key else schema
        if isinstance(s, dict) and "$ref" in s:
            return s["$ref"][len(REF):], key
    return None, None


def from_specs(served, specs, out):
    for name, schema in served.items():
        for spec in specs:
            upstream = spec.get(name)
            if upstream is None:
                continue
            entry = out.setdefault(name, {})
            if "description" in upstream:
                entry.setdefault("description", upstream["description"])
            for field in schema.get("properties", {}):
                text = upstream.get("properties", {}).get(field, {}).get("description")
                if text:
                    entry.setdefault("properties", {}).setdefault(field, text)


def from_crd_schema(served, name, crd, out):
    """Walks a CRD's structural schema beside the served definition it describes."""
    if name in out or name not in served:
        return
    entry = out.setdefault(name, {})
    if crd.get("description"):
        entry["description"] = crd["description"]
    for field, schema in served[name].get("properties", {}).items():
        crd_field = crd.get("properties", {}).get(field)
        if crd_field is None:
            continue
        if crd_field.get("description"):
            entry.setdefault("properties", {})[field] = crd_field["description"]
        target, key = served_ref(schema)
        if target is not None:
            from_crd_schema(served, target, crd_field.get(key) if key else crd_field, out)


def from_crds(served, manifests, out):
    for crd in manifests:
        if not crd or crd.get("kind") != "CustomResourceDefinition":
            continue
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            gvk = {"group": group, "version": version["name"], "kind": kind}
            for name, schema in served.items():
                if gvk in schema.get("x-kubernetes-group-version-kind", []) and name not in out:
                    from_crd_schema(served, name, version["schema"]["openAPIV3Schema"], out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--served", required=True)
    parser.add_argument("--spec", action="append", default=[], required=True)
    parser.add_argument("--crd", action="append", default=[])
    parser.add_argument("--source", action="append", default=[])
    args = parser.parse_args()

    with open(args.served) as f:
        served = json.load(f)["definitions"]
    specs = []
    for path in args.spec:
        with open(path) as f:
            specs.append(json.load(f)["definitions"])
    out = {}
    from_specs(served, specs, out)
    if args.crd:
        import yaml  # only CRDs are YAML
        for path in args.crd:
            with open(path) as f:
                from_crds(served, list(yaml.safe_load_all(f)), out)

    definitions = {name: entry for name, entry in sorted(out.items()) if entry}
    json.dump({"sources": args.source, "definitions": definitions}, sys.stdout,
              ensure_ascii=False, separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    main()
