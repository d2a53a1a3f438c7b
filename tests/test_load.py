"""Loading: documents, Lists, JSON, stdin, positions and per-document error recovery."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ing2gw.load import load_paths, parse_objects
from ing2gw.load.positions import resolve_line

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: ns
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {{name: web, port: {{number: 80}}}}
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_multi_document_yaml_with_a_broken_document_keeps_the_others(tmp_path: Path) -> None:
    text = INGRESS.format(name="one") + "---\nkind: [unclosed\n---\n" + INGRESS.format(name="two")
    f = write(tmp_path, "m.yaml", text)
    res = load_paths([f])
    assert [o.data["metadata"]["name"] for o in res.objects] == ["one", "two"]
    assert len(res.problems) == 1
    assert "YAML syntax error" in res.problems[0].message
    assert res.problems[0].source.line == 17  # the broken document's line, counted in the whole file


def test_kind_list_and_json_list(tmp_path: Path) -> None:
    import yaml

    ing = yaml.safe_load(INGRESS.format(name="x"))
    f1 = write(tmp_path, "l.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [ing, ing]}))
    f2 = write(tmp_path, "l.json", json.dumps({"apiVersion": "v1", "kind": "IngressList", "items": [ing]}))
    res = load_paths([f1, f2])
    assert len(res.objects) == 3
    assert res.objects[1].path_prefix == "items[1]"


def test_nested_list_is_refused(tmp_path: Path) -> None:
    inner = {"kind": "List", "apiVersion": "v1", "items": []}
    f = write(tmp_path, "n.json", json.dumps({"apiVersion": "v1", "kind": "List", "items": [inner]}))
    res = load_paths([f])
    assert not res.objects
    assert "nested in a List" in res.problems[0].message


def test_directory_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    write(tmp_path / "b", "z.yml", INGRESS.format(name="z"))
    write(tmp_path, "a.yaml", INGRESS.format(name="a"))
    write(tmp_path, "notes.txt", "not yaml")
    res = load_paths([str(tmp_path)])
    assert [o.data["metadata"]["name"] for o in res.objects] == ["a", "z"]


def test_stdin_positions_are_resolved() -> None:
    data = ("# first\n" + INGRESS.format(name="s")).encode()
    res = load_paths(["-"], stdin=io.BytesIO(data))
    inputs = parse_objects(res.objects)
    src = inputs.ingresses[0].rules[0].paths[0].source.at(field="spec.rules[0].http.paths[0].pathType")
    assert src.file == "<stdin>"
    assert resolve_line(src) == 13


def test_positions_of_tagged_anchored_and_number_like_keys(tmp_path: Path) -> None:
    """Lines come from the composed document alone: tags, anchors, aliases and keys that read as numbers or
    booleans are found as the text has them."""
    text = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: t
  annotations: &notes
    !!str 80: "x"
    "true": y
    nginx.ingress.kubernetes.io/ssl-redirect: !!str false
spec:
  rules:
  - host: a.example.com
    http: &http
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: s, port: {number: 80}}}
"""
    write(tmp_path, "t.yaml", text)
    src = parse_objects(load_paths([str(tmp_path / "t.yaml")]).objects).ingresses[0].source
    assert resolve_line(src.at(annotation="80")) == 6
    assert resolve_line(src.at(annotation="true")) == 7
    assert resolve_line(src.at(annotation="nginx.ingress.kubernetes.io/ssl-redirect")) == 8
    assert resolve_line(src.at(field="spec.rules[0].http.paths[0].pathType")) == 15
    assert resolve_line(src.at(field="spec.rules[0].http.paths[3]")) == 13  # no such item: its nearest parent


def test_binary_and_non_utf8_files_are_reported(tmp_path: Path) -> None:
    b = tmp_path / "bin.yaml"
    b.write_bytes(b"\x00\x01\x02")
    u = tmp_path / "latin.yaml"
    u.write_bytes("name: caf\xe9\n".encode("latin-1"))
    res = load_paths([str(b), str(u)])
    msgs = sorted(p.message for p in res.problems)
    assert msgs[0].startswith("binary file")
    assert msgs[1].startswith("not UTF-8")


def test_v1beta1_backend_is_normalised(tmp_path: Path) -> None:
    text = """apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /x
        backend: {serviceName: web, servicePort: http}
"""
    inputs = parse_objects(load_paths([write(tmp_path, "o.yaml", text)]).objects)
    (ing,) = inputs.ingresses
    p = ing.rules[0].paths[0]
    assert ing.namespace == "default"
    assert p.path_type == "ImplementationSpecific"
    assert p.backend.service is not None and p.backend.service.port_name == "http"


def test_bad_fields_are_reported_with_their_path_and_the_rest_is_kept(tmp_path: Path) -> None:
    text = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {a: true, b: "ok"}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /ok, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /bad, pathType: Foo, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /port, pathType: Prefix, backend: {service: {name: web, port: {number: 70000}}}}
"""
    inputs = parse_objects(load_paths([write(tmp_path, "b.yaml", text)]).objects)
    (ing,) = inputs.ingresses
    assert [p.path for p in ing.rules[0].paths] == ["/ok"]
    assert dict(ing.annotations) == {"b": "ok"}
    fields = sorted(n.subject for n in inputs.problems)
    assert fields == ["metadata.annotations[a]", "spec.rules[0].http.paths[1].pathType",
                      "spec.rules[0].http.paths[2].backend.service.port.number"]
    lines = sorted(resolve_line(n.source) or 0 for n in inputs.problems)
    assert lines == [5, 12, 13]
