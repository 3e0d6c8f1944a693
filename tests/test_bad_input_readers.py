"""Inputs a user really meets that once crashed or hung an ingest: odd file names, other encodings,
pathological JSON, bad host names, FIFOs and devices, servers that trickle. Each gives its report
or one line naming it, and the inputs beside it are still read."""
from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crosswire.config import load_settings
from crosswire.ingest import fetch_url, read_paths

REPORT = "France will withdraw its 400 soldiers from Burkina Faso within a month, the ministry said on {day}.\n"
PAGE = ("<html><head>{meta}<title>Troops leave</title></head><body><article><h1>Troops leave</h1>"
        "<p>Le ministère des armées a confirmé lundi le départ de 400 soldats du Burkina Faso d'ici un mois.</p>"
        "<p>Les forces spéciales étaient basées près de Ouagadougou depuis 2018, selon le ministère.</p>"
        "</article></body></html>")


@pytest.fixture
def settings():
    return load_settings(env={})


def messages(batch):
    return [str(e) for e in batch.errors]


class Pages(BaseHTTPRequestHandler):
    """A small news site with the awkward habits real ones have."""

    routes = {  # path -> (Content-Type, body)
        "/latin1": ("text/html; charset=iso-8859-1", PAGE.format(meta="").encode("latin-1")),
        "/utf16": ("text/html; charset=utf-16", PAGE.format(meta="").encode("utf-16")),
        "/deep": ("application/json", b"[" * 100_000 + b"]" * 100_000),
        "/hugeint": ("application/json", b'{"text": "A report with a long number.", "n": ' + b"7" * 5000 + b"}"),
    }

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/trickle":
            return self._trickle()
        if self.path == "/stall":
            return self._stall()
        content_type, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stall(self):
        """Headers, then silence for longer than any deadline a test sets."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.flush()
        time.sleep(8)

    def _trickle(self):
        """A byte every 0.2 s: no read ever stalls, yet the page would take minutes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(1500):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the reader gave up, as it should
            pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_file_name_that_is_not_utf8_is_shown_readably_and_its_report_read(tmp_path, settings):
    folder = tmp_path / "from-a-windows-share"
    folder.mkdir()
    (folder / "good.md").write_text(REPORT.format(day="Monday"))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "w") as fh:  # Latin-1 name, as zip files leave them
        fh.write(REPORT.format(day="Tuesday"))
    batch = read_paths([str(folder)], settings)
    assert batch.errors == [] and len(batch.articles) == 2
    origins = sorted(a.origin for a in batch.articles)
    assert origins[0].endswith("caf\ufffd.md") and all(o.encode("utf-8") for o in origins)


def test_a_lone_surrogate_in_a_json_line_becomes_a_replacement_character(tmp_path, settings):
    (tmp_path / "export.jsonl").write_text(
        '{"text": "Rescuers pulled 33 miners \\ud800 from a collapsed copper mine on Wednesday.", '
        '"title": "Mine \\udfff"}\n'
        '{"text": "A second report on the copper mine rescue in northern Chile."}\n')
    batch = read_paths([str(tmp_path / "export.jsonl")], settings)
    assert batch.errors == [] and len(batch.articles) == 2
    first = batch.articles[0]
    assert "33 miners \ufffd from" in first.text and first.title == "Mine \ufffd"


def test_files_in_other_encodings_are_read_by_their_bom_or_meta_charset(tmp_path, settings):
    (tmp_path / "latin1.html").write_bytes(PAGE.format(meta='<meta charset="iso-8859-1">').encode("latin-1"))
    (tmp_path / "http-equiv.html").write_bytes(PAGE.replace("lundi", "mardi").format(
        meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("cp1252"))
    (tmp_path / "notepad.txt").write_bytes(REPORT.format(day="Monday").encode("utf-16"))  # with its BOM
    (tmp_path / "big-endian.md").write_bytes(b"\xfe\xff" + REPORT.format(day="Friday").encode("utf-16-be"))
    (tmp_path / "page16.html").write_bytes(PAGE.replace("lundi", "jeudi").format(meta="").encode("utf-16"))
    batch = read_paths([str(tmp_path)], settings)
    assert messages(batch) == [] and len(batch.articles) == 5
    texts = {a.origin.rsplit("/", 1)[1]: a.text for a in batch.articles}
    assert all("ministère" in texts[n] for n in ("latin1.html", "http-equiv.html", "page16.html")), texts
    assert "said on Monday" in texts["notepad.txt"] and "said on Friday" in texts["big-endian.md"]


def test_a_utf8_page_under_an_old_latin1_label_is_read_as_utf8(tmp_path, settings):
    # an old CMS template still says iso-8859-1 (or windows-1252) while the page is saved as UTF-8
    (tmp_path / "old-template.html").write_bytes(PAGE.format(meta='<meta charset="iso-8859-1">').encode("utf-8"))
    (tmp_path / "cp1252-label.html").write_bytes(PAGE.replace("lundi", "mardi").format(
        meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("utf-8"))
    batch = read_paths([str(tmp_path)], settings)
    assert messages(batch) == [] and all("ministère" in a.text for a in batch.articles), [a.text for a in batch.articles]


def test_pages_served_with_a_charset_are_decoded_by_it(site, settings):
    for path in ("/latin1", "/utf16"):
        batch = fetch_url(site + path, settings)
        assert messages(batch) == [] and "ministère des armées" in batch.articles[0].text, path


def test_json_nested_too_deeply_or_with_a_huge_number_is_one_error_line(tmp_path, site, settings):
    (tmp_path / "deep.json").write_text("[" * 100_000)
    (tmp_path / "hugeint.json").write_text("1" * 5000)
    good = json.dumps({"text": "The one good line about the troop withdrawal."})
    (tmp_path / "lines.jsonl").write_text("[" * 100_000 + "\n" + "9" * 5000 + "\n" + good + "\n")
    batch = read_paths([str(tmp_path)], settings)
    assert len(batch.articles) == 1
    errors = messages(batch)
    assert [e.split("/")[-1] for e in errors] == [
        "deep.json: invalid JSON (nested too deeply)", "hugeint.json: invalid JSON (a number too long to read)",
        "lines.jsonl: line 1: invalid JSON (nested too deeply)",
        "lines.jsonl: line 2: invalid JSON (a number too long to read)"]
    assert messages(fetch_url(site + "/deep", settings)) == [f"{site}/deep: invalid JSON (nested too deeply)"]
    assert "number too long" in messages(fetch_url(site + "/hugeint", settings))[0]


def test_bad_host_names_and_other_url_schemes_are_one_line_each_and_the_rest_is_read(tmp_path, site, settings):
    for url in ("http://xn--/", "http://a..b/", f"http://{'a' * 70}.com/"):
        [error] = messages(fetch_url(url, settings))
        assert error.startswith(f"{url}: invalid URL"), error
    (tmp_path / "good.md").write_text(REPORT.format(day="Monday"))
    upper = site.replace("http://", "HTTP://") + "/latin1"
    batch = read_paths(["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", upper,
                        str(tmp_path / "good.md")], settings)
    assert messages(batch) == [f"{url}: unsupported URL scheme '{scheme}:'; expected http:// or https://"
                               for url, scheme in (("file:///etc/passwd", "file"), ("ftp://example.org/x", "ftp"),
                                                   ("javascript:alert(1)", "javascript"))]
    assert len(batch.articles) == 2 and "ministère" in batch.articles[0].text


def test_fifos_and_devices_are_refused_without_waiting_or_reading_forever(tmp_path, settings):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "good.md").write_text(REPORT.format(day="Monday"))
    os.mkfifo(folder / "pipe.txt")  # nobody ever writes to it
    (folder / "zeros.txt").symlink_to("/dev/zero")
    (folder / "noise.md").symlink_to("/dev/urandom")
    done = {}
    reader = threading.Thread(target=lambda: done.update(batch=read_paths([str(folder)], settings)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # release the blocked open so the thread can end, then fail
        os.close(os.open(folder / "pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a folder with a FIFO in it did not finish")
    batch = done["batch"]
    assert len(batch.articles) == 1
    assert sorted(e.split("/")[-1] for e in messages(batch)) == [
        f"{name}: not a regular file (a FIFO, device or socket); save the report to a file"
        for name in ("noise.md", "pipe.txt", "zeros.txt")]


def test_a_server_that_trickles_is_cut_off_at_the_download_deadline(site, settings):
    settings = settings.overridden(ingest={"download_deadline": 2.0})  # the default is a minute
    began = time.monotonic()
    [error] = messages(fetch_url(site + "/trickle", settings))
    assert time.monotonic() - began < 10
    assert error.startswith(f"{site}/trickle: download not finished within 2 s"), error


def test_a_server_that_stalls_is_given_up_at_a_deadline_shorter_than_one_read_timeout(site, settings):
    # a read's own timeout is 20 s: a shorter deadline must bound each read too, not only the chunks that arrive
    settings = settings.overridden(ingest={"download_deadline": 2.0})
    began = time.monotonic()
    [error] = messages(fetch_url(site + "/stall", settings))
    assert time.monotonic() - began < 6
    assert error == f"{site}/stall: no answer within 2 s", error


def test_nul_bytes_anywhere_in_a_file_mean_it_is_binary(tmp_path, settings):
    lead = REPORT.format(day="Monday") * 200  # well past the first 8 KB
    (tmp_path / "late.txt").write_bytes(lead.encode() + b"\x00\x01\x02")
    (tmp_path / "late.html").write_bytes(PAGE.format(meta="").encode() + b" " * 10_000 + b"\x00")
    batch = read_paths([str(tmp_path)], settings)
    assert batch.articles == []
    assert sorted(e.split("/")[-1] for e in messages(batch)) == [
        f"{name}: binary file (contains NUL bytes), not a text, HTML, JSONL or feed document"
        for name in ("late.html", "late.txt")]


def test_a_folder_without_any_report_file_says_so_naming_what_it_skipped(tmp_path, settings):
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "scans" / "b.docx").write_bytes(b"PK")
    [error] = messages(read_paths([str(tmp_path / "scans")], settings))
    assert error.startswith(f"{tmp_path / 'scans'}: no readable article files found (skipped .docx, .pdf files)")


@pytest.mark.slow
def test_the_cli_stores_odd_names_and_refuses_only_the_bad_inputs(cli, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.md").write_text(REPORT.format(day="Monday"))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "w") as fh:
        fh.write("Rescuers in Chile pulled 33 miners from a collapsed copper mine on Wednesday, officials said.\n")
    os.mkfifo(folder / "pipe.txt")
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "a.pdf").write_bytes(b"%PDF-1.4")
    proc = cli.run("ingest", str(folder), str(tmp_path / "scans"), "javascript:alert(1)", timeout=300)
    assert "Traceback" not in proc.stderr
    errors = sorted(line for line in proc.stderr.splitlines() if line.startswith("error:"))
    named = [str(folder / "pipe.txt"), str(tmp_path / "scans"), "javascript"]
    assert [e.split(":")[1].strip() for e in errors] == named
    assert cli.json("stats", "--json")["articles"] == 2
    assert len(cli.json("ingest", str(folder), "--json")["already_stored"]) == 2  # nothing twice
