// GraphiQL on the hall's own files: posts to this page's URL with the session cookie.
(function () {
  var token = document.querySelector("[name=csrfmiddlewaretoken]");
  var fetcher = GraphiQL.createFetcher({
    url: window.location.pathname,
    headers: token ? { "X-CSRFToken": token.value } : {},
  });
  var asked = new URLSearchParams(window.location.search).get("query");
  var example =
    "# 全县站点(无需登录)；登录后可查询 cases(first: 20) { edges { node { number statusLabel } } }\n" +
    "{\n  sites {\n    code\n    name\n    tierLabel\n  }\n}\n";
  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: asked || example,
      query: asked || undefined,
    }),
    document.getElementById("editor")
  );
})();
