"""A local stand-in for a geocoding web service: real HTTP on 127.0.0.1, answering what a test sets, in the
service's documented format, and keeping the queries it was sent."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeGeocoder:
    def __init__(self):
        self.answer, self.status, self.queries = {}, 200, []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.queries.append((urlparse(self.path).path, parse_qs(urlparse(self.path).query)))
                body = json.dumps(fake.answer, ensure_ascii=False).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def amap_answer(location, level, address="广东省广州市南沙区", status="1"):
    """AMap web service API 地理编码 (v3/geocode/geo), as documented: GCJ-02 "lng,lat" and a match level."""
    return {
        "status": status,
        "info": "OK",
        "infocode": "10000",
        "count": "1",
        "geocodes": [
            {
                "formatted_address": address,
                "country": "中国",
                "province": "广东省",
                "citycode": "020",
                "city": "广州市",
                "district": "南沙区",
                "township": [],
                "neighborhood": {"name": [], "type": []},
                "building": {"name": [], "type": []},
                "adcode": "440115",
                "street": [],
                "number": [],
                "location": location,
                "level": level,
            }
        ],
    }


def tianditu_answer(lon, lat, level, key_word):
    """Tianditu 地理编码 (geocoder?ds=…), as documented: CGCS2000 lon/lat, a level and a score."""
    return {
        "msg": "ok",
        "location": {"score": 100, "level": level, "lon": lon, "lat": lat, "keyWord": key_word},
        "searchVersion": "6.4.9V",
        "status": "0",
    }
