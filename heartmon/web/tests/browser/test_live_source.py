"""The station's live source in a browser, fed messages as the live stream sends them (the
browser tests' server speaks no WebSocket): an ECG frame gives its patient's lead II in mV, and
vitals and alarm events reach the station's callbacks."""

import pytest

from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FEED = """async () => {
    const { LiveSource, parseEcgFrame } = await import("/static/web/live_source.js");
    const names = new TextEncoder().encode("I,II");
    const buffer = new ArrayBuffer(48 + names.length + 2 * 2 * 2);
    const view = new DataView(buffer);
    new Uint8Array(buffer).set(new TextEncoder().encode("HMEG"), 0);
    new Uint8Array(buffer).set([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef], 4);
    view.setFloat32(36, 250, true);
    view.setFloat32(40, 200, true);
    view.setUint16(44, 2, true);
    view.setUint8(46, 2);
    view.setUint8(47, names.length);
    new Uint8Array(buffer).set(names, 48);
    [10, 100, 20, 300].forEach((v, i) => view.setInt16(48 + names.length + 2 * i, v, true));
    const frame = parseEcgFrame(buffer);
    const seen = { readings: [], alarms: [] };
    const source = new LiveSource({
        onReading: (r) => seen.readings.push(r),
        onAlarms: (a) => seen.alarms.push(a.map((x) => x.id)),
        onError: () => {},
    });
    source.patients = new Set(["p1"]);
    source.receive(JSON.stringify({ type: "vitals", stream: "place:w", seq: 4, patient: "p1",
        values: { heart_rate: { value: 72, at: "2026-12-06T10:00:00Z", source: "device" } } }));
    const alarm = { id: "a1", patient: "p1", state: "open", priority: "high" };
    source.receive(JSON.stringify({ type: "alarm", stream: "alarms", seq: 9, alarm }));
    source.receive(JSON.stringify({ type: "alarm", stream: "alarms", seq: 10,
        alarm: { ...alarm, state: "closed" } }));
    return { frame: { ...frame, samples: [...frame.samples] }, seen, seq: [...source.seq] };
}"""


def test_frames_vitals_and_alarm_events_reach_the_station(page, bob):
    sign_in(page, bob.email)

    answer = page.evaluate(FEED)

    assert answer["frame"] == {
        "patient": "12345678-9abc-def0-0123-456789abcdef",
        "rate": 250,
        "samples": [0.5, 1.5],
    }
    reading = {"patient": "p1", "metric": "heart_rate", "value": 72}
    assert answer["seen"]["readings"] == [{**reading, "recorded_at": "2026-12-06T10:00:00Z"}]
    assert answer["seen"]["alarms"] == [["a1"], []]
    assert answer["seq"] == [["place:w", 4], ["alarms", 10]]
