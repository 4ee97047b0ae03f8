def test_an_unknown_api_path_answers_problem_json(client, db):
    response = client.get("/api/v1/no-such-resource/42")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/no-such-resource/42"
    assert body["request_id"] == response["X-Request-ID"]


def test_an_unknown_page_answers_the_html_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
