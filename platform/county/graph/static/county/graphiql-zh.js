// GraphiQL's own words in Chinese. GraphiQL 2.4 has no translations: its buttons, tabs,
// dialogs and tooltips are English strings inside the bundle. This page swaps them as they
// appear (a MutationObserver over the text, aria-label, title and placeholder of every
// element), by exact match only, and never inside the editors (queries, variables and
// results are the user's, type and field names the schema's).
(function () {
  "use strict";
  var WORDS = {
    // toolbar, tabs, sidebar
    "Prettify query (Shift-Ctrl-P)": "美化查询 (Shift-Ctrl-P)",
    "Merge fragments into query (Shift-Ctrl-M)": "把片段合并进查询 (Shift-Ctrl-M)",
    "Copy query (Shift-Ctrl-C)": "复制查询 (Shift-Ctrl-C)",
    "Execute query (Ctrl-Enter)": "运行查询 (Ctrl-Enter)",
    "Stop query (Ctrl-Enter)": "停止查询 (Ctrl-Enter)",
    "Show editor tools": "显示变量与请求头",
    "Hide editor tools": "隐藏变量与请求头",
    "Add tab": "新建标签页",
    "Close Tab": "关闭标签页",
    "Edit label": "修改名称",
    "Type a label": "输入名称",
    "Open settings dialog": "设置",
    "Open short keys dialog": "快捷键",
    "Re-fetch GraphQL schema": "重新读取 GraphQL 结构",
    "Documentation Explorer": "字段说明",
    "History": "查询历史",
    "Add favorite": "收藏",
    "Remove favorite": "取消收藏",
    "Save": "保存",
    "Variables": "变量",
    "Headers": "请求头",
    "Query Editor": "查询编辑区",
    "Result Window": "查询结果",
    "Editor Commands": "编辑命令",
    "Select active operation": "选择要运行的操作",
    // dialogs
    "Close dialog": "关闭",
    "Settings": "设置",
    "Theme": "外观",
    "Adjust how the interface looks like.": "选择界面的配色。",
    "System": "跟随系统",
    "Light": "浅色",
    "Dark": "深色",
    "Persist headers": "保存请求头",
    "Only enable if you trust this device.": "只在信任这台电脑时开启。",
    "On": "开",
    "Off": "关",
    "Clear storage": "清除本机保存的数据",
    "Remove all locally stored data and start fresh.": "删除浏览器里保存的查询、历史和设置，从头开始。",
    "Clear data": "清除",
    "Cleared data": "已清除",
    "Failed": "清除失败",
    "Short Keys": "快捷键",
    "Short key": "按键",
    "Function": "作用",
    "Search in editor": "在编辑区搜索",
    "Search in documentation": "在字段说明中搜索",
    "Execute query": "运行查询",
    "Prettify editors": "美化编辑区",
    "Merge fragments definitions into operation definition": "把片段定义合并进操作",
    "Copy query": "复制查询",
    "Re-fetch schema using introspection": "重新读取 GraphQL 结构",
    "CodeMirror Key Maps": "编辑器键位",
    // documentation explorer
    "Docs": "字段说明",
    "A GraphQL schema provides a root type for each kind of operation.":
      "GraphQL 结构为每种操作提供一个入口类型。",
    "Root Types": "入口类型",
    "All Schema Types": "全部类型",
    "Fields": "字段",
    "Arguments": "参数",
    "Type": "类型",
    "Implements": "实现的接口",
    "Possible Types": "可能的类型",
    "Directives": "指令",
    "Enum Values": "可选值",
    "Deprecated": "已停用",
    "Deprecated Fields": "已停用的字段",
    "Deprecated Arguments": "已停用的参数",
    "Deprecated Enum Values": "已停用的可选值",
    "Show Deprecated Fields": "显示已停用的字段",
    "Show Deprecated Arguments": "显示已停用的参数",
    "Show Deprecated Values": "显示已停用的可选值",
    "Suggestions": "建议",
    "Automatically added leaf fields": "已自动补全末级字段",
    "No results found": "没有找到",
    "Other results": "其他结果",
    "No GraphQL schema available": "没有可用的 GraphQL 结构",
    "Error fetching schema": "读取 GraphQL 结构出错",
  };
  var PATTERNS = [
    // "Search Query..." in the documentation explorer
    [/^Search (\S+)\.\.\.$/, function (m) { return "搜索 " + m[1] + "…"; }],
    // the sidebar's "Show Documentation Explorer", "Hide History"
    [/^(Show|Hide) (.+)$/, function (m) {
      return WORDS[m[2]] ? (m[1] === "Show" ? "打开" : "收起") + WORDS[m[2]] : null;
    }],
  ];
  var ATTRIBUTES = ["aria-label", "title", "placeholder"];
  var USERS_OWN = ".CodeMirror, .graphiql-doc-explorer-type-name, .graphiql-doc-explorer-field-name";

  function word(text) {
    var key = text.trim();
    if (Object.prototype.hasOwnProperty.call(WORDS, key)) return text.replace(key, WORDS[key]);
    for (var i = 0; i < PATTERNS.length; i++) {
      var found = PATTERNS[i][0].exec(key);
      var swapped = found && PATTERNS[i][1](found);
      if (swapped) return text.replace(key, swapped);
    }
    return null;
  }

  function theirs(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return !el || el.closest(USERS_OWN);
  }

  function element(el) {
    if (theirs(el)) return;
    ATTRIBUTES.forEach(function (name) {
      var value = el.getAttribute(name);
      var swapped = value && word(value);
      if (swapped) el.setAttribute(name, swapped);
    });
  }

  function text(node) {
    var swapped = node.nodeValue && node.nodeValue.trim() && word(node.nodeValue);
    if (swapped && !theirs(node)) node.nodeValue = swapped;
  }

  function tree(root) {
    if (root.nodeType === 3) return text(root);
    if (root.nodeType !== 1 || theirs(root)) return;
    element(root);
    // a rejected element's subtree is skipped: the editors' lines are the user's text
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.nodeType === 1 && n.matches(USERS_OWN)
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT;
      },
    });
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) text(n);
      else element(n);
    }
  }

  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "childList") r.addedNodes.forEach(tree);
      else if (r.type === "characterData") text(r.target);
      else element(r.target);
    });
  }).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  tree(document.body);
})();
