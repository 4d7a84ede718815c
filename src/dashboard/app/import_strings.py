"""The import page's strings (registered with ``i18n.extend``)."""

from __future__ import annotations

from ..common import i18n

i18n.extend(
    {
        "page.import": {"zh": "导入", "en": "Import"},
        "import.title": {"zh": "导入您自己的文档", "en": "Import your own documents"},
        "import.intro": {
            "zh": "上传新闻文档(.txt、.md、.html、.mhtml、.docx、.json、.jsonl、.csv,或它们的 .zip 压缩包,"
            "可一次选多个)或直接粘贴文本,看板会为它们建立一个新的语料,各页面的图表和筛选都可用于它。",
            "en": "Upload news documents (.txt, .md, .html, .mhtml, .docx, .json, .jsonl, .csv, or .zip "
            "archives "
            "of them; several at once) or paste text: the dashboard makes a new corpus of "
            "them, and every page, chart and filter works on it.",
        },
        "import.key": {
            "zh": "**链接就是钥匙。** 每个语料都有一个无法猜到的编号,写在页面链接的 `corpus=` "
            "参数里。持有链接的人都能阅读这个语料;没有链接,谁也无法列出或找到它。"
            "请保存好链接,分享给您想分享的人。",
            "en": "**The link is the key.** Each corpus has an id nobody can guess, in the "
            "`corpus=` parameter of every page's link. Whoever has the link can read the "
            "corpus; without it nobody can list or find it. Keep the link, and share it with "
            "whom you choose.",
        },
        "import.not_kept": {
            "zh": "此服务器上的上传只保留到应用重启为止(托管的应用休眠或重新部署时,磁盘会被清空)。"
            "请保留您的原始文件。",
            "en": "Uploads here last until the app restarts (a hosted app's disk is wiped when "
            "it sleeps or redeploys); keep your files.",
        },
        "import.limits": {
            "zh": "每次上传最多 {mb} MB、{files} 个文件;超过配额时,最久未使用的语料会被删除。",
            "en": "At most {mb} MB and {files} files per upload; when the server is over its "
            "quota, the corpora unused for the longest are removed.",
        },
        "import.files": {"zh": "选择文件", "en": "Files"},
        "import.files_help": {
            "zh": "可多选;.zip 压缩包会在服务器上安全解压。无法读取的文件会列在导入报告中。",
            "en": "Pick several at once; .zip archives are unpacked safely on the server. Files "
            "that cannot be read are listed in the report.",
        },
        "import.kept": {
            "zh": "已选择的文件:{names}",
            "en": "Files chosen: {names}",
        },
        "import.paste": {"zh": "或粘贴文本", "en": "Or paste text"},
        "import.paste_help": {
            "zh": "一篇或多篇报道;带电头(如 新华社北京7月9日电)的报道会被分开。",
            "en": "One report or several; reports that start with a dateline (新华社北京7月9日电) "
            "are split apart.",
        },
        "import.name": {"zh": "语料名称(可选)", "en": "Corpus name (optional)"},
        "import.target": {"zh": "导入到", "en": "Import into"},
        "import.target_new": {"zh": "新建语料", "en": "A new corpus"},
        "import.target_add": {"zh": "加入当前语料“{name}”", "en": "The open corpus “{name}”"},
        "import.start": {"zh": "开始导入", "en": "Start the import"},
        "import.started": {
            "zh": "已开始导入。您可以关闭或刷新此页,进度和结果会保留在本页的链接下。",
            "en": "The import has started. You may reload or leave this page: the progress "
            "and the result stay under this page's link.",
        },
        "import.progress": {"zh": "导入进度", "en": "Import progress"},
        "import.queued": {
            "zh": "正在启动……(如果此语料正有另一次导入,会等它结束后开始)",
            "en": "Starting… (if another import into this corpus is running, this one starts "
            "when it ends)",
        },
        "import.stage.reading": {"zh": "读取文档", "en": "Reading documents"},
        "import.stage.near-duplicates": {"zh": "查找转载", "en": "Near-duplicates"},
        "import.stage.entities": {"zh": "识别实体", "en": "Entities"},
        "import.stage.events": {"zh": "识别事件", "en": "Events"},
        "import.stage.terms": {"zh": "统计词语", "en": "Terms"},
        "import.count.reading": {"zh": "{done}/{total} 个文件", "en": "{done}/{total} files"},
        "import.count.entities": {
            "zh": "{done}/{total} 篇文章",
            "en": "{done}/{total} articles",
        },
        "import.waiting": {"zh": "等待中", "en": "waiting"},
        "import.working": {"zh": "进行中", "en": "working"},
        "import.done_stage": {"zh": "完成", "en": "done"},
        "import.done": {
            "zh": "导入完成:语料“{name}”共有 {n} 篇文章。",
            "en": "Import finished: the corpus “{name}” holds {n} articles.",
        },
        "import.open": {"zh": "打开这个语料的概览", "en": "Open the overview of this corpus"},
        "import.report": {"zh": "导入报告", "en": "Ingestion report"},
        "import.per_outlet": {"zh": "各媒体文章数", "en": "Articles per outlet"},
        "import.outlet": {"zh": "媒体", "en": "Outlet"},
        "import.articles": {"zh": "文章数", "en": "Articles"},
        "import.rejected": {
            "zh": "未能导入的文件或记录({n} 项)",
            "en": "Files or records not imported ({n})",
        },
        "import.rejected_none": {
            "zh": "所有文件和记录都已读取。",
            "en": "Every file and record was read.",
        },
        "import.file": {"zh": "文件", "en": "File"},
        "import.line": {"zh": "行", "en": "Line"},
        "import.reason": {"zh": "原因", "en": "Reason"},
        "import.download_report": {
            "zh": "下载报告(ingest_report.json)",
            "en": "Download the report (ingest_report.json)",
        },
        "import.failed.nothing": {
            "zh": "没有读出任何文章,语料保持原样。下表列出了每个文件的原因。",
            "en": "No article could be read; the corpus is as it was. The table below gives "
            "each file's reason.",
        },
        "import.failed.disk_full": {
            "zh": "服务器磁盘已满,导入未完成;语料保持原样。",
            "en": "The server's disk is full and the import did not finish; the corpus is as "
            "it was.",
        },
        "import.failed.failed": {
            "zh": "导入失败,语料保持原样:{error}",
            "en": "The import failed; the corpus is as it was: {error}",
        },
        "import.failed.gone": {
            "zh": "这次上传已不存在,请重新上传。",
            "en": "This upload is gone; upload the files again.",
        },
        "import.failed.stopped": {
            "zh": "导入意外中止(服务器可能重启过),语料保持原样。请重新上传。",
            "en": "The import stopped unexpectedly (the server may have restarted); the corpus "
            "is as it was. Upload the files again.",
        },
        "import.link": {"zh": "阅读链接(可分享)", "en": "Reading link (to share)"},
        "import.edit_link": {
            "zh": "编辑链接(仅限自己保存)",
            "en": "Edit link (keep it to yourself)",
        },
        "import.edit_link_help": {
            "zh": "在新的浏览器窗口打开编辑链接,即可继续向语料添加文件或删除语料。持有它的人都能这样做。",
            "en": "Opening the edit link in a new browser window lets you add files to the "
            "corpus or delete it again. Anyone who holds it can do so.",
        },
        "import.edit_claimed": {
            "zh": "编辑链接有效:本会话可以向这个语料添加文件或删除它。",
            "en": "Edit link accepted: this session may add files to this corpus or delete it.",
        },
        "import.edit_bad": {
            "zh": "编辑链接无效,语料仍可阅读,但不能修改。",
            "en": "The edit link is not valid; the corpus can be read but not changed.",
        },
        "import.mine": {"zh": "本会话建立的语料", "en": "Corpora this session made"},
        "import.mine_help": {
            "zh": "只有您在本会话中建立(或用编辑链接打开)的语料会列在这里。",
            "en": "Only the corpora you made in this session (or opened with their edit link) "
            "are listed here.",
        },
        "import.open_short": {"zh": "打开", "en": "Open"},
        "import.delete": {"zh": "删除", "en": "Delete"},
        "import.delete_confirm": {
            "zh": "确定删除语料“{name}”?它的链接将失效,此操作无法撤销。",
            "en": "Delete the corpus “{name}”? Its links stop working; this cannot be undone.",
        },
        "import.delete_yes": {"zh": "确定删除", "en": "Yes, delete"},
        "import.delete_no": {"zh": "取消", "en": "Cancel"},
        "import.deleted": {"zh": "语料已删除。", "en": "The corpus was deleted."},
        "import.delete_busy": {
            "zh": "这个语料正在导入,导入结束后才能删除。",
            "en": "This corpus is being imported; delete it when the import ends.",
        },
        "import.bundled_back": {"zh": "回到自带示例语料", "en": "Back to the bundled corpus"},
        "import.error.nothing": {
            "zh": "请先选择文件或粘贴文本。",
            "en": "Pick files or paste text first.",
        },
        "import.error.too_big": {
            "zh": "上传共 {size} MB,超过了 {limit} MB 的上限。请分几次上传。",
            "en": "The upload is {size} MB, over the limit of {limit} MB. Upload it in parts.",
        },
        "import.error.too_many": {
            "zh": "上传的文件超过 {limit} 个。请分几次上传。",
            "en": "The upload holds more than {limit} files. Upload it in parts.",
        },
        "import.error.zip_too_big": {
            "zh": "压缩包 {name} 解压后有 {size} MB,超过了 {limit} MB 的上限。",
            "en": "The archive {name} unpacks to {size} MB, over the limit of {limit} MB.",
        },
        "import.error.zip_bomb": {
            "zh": "压缩包 {name} 的压缩比异常(约 {ratio} 倍,上限 {limit} 倍),疑为压缩炸弹,已拒绝。",
            "en": "The archive {name} is compressed far more than text ever is (about {ratio} "
            "times; the limit is {limit}): refused as a zip bomb.",
        },
        "import.error.disk_full": {
            "zh": "服务器磁盘已满,这次上传没有保存任何内容。",
            "en": "The server's disk is full; nothing of this upload was kept.",
        },
        "import.error.no_documents": {
            "zh": "上传中没有可以保留的文档(见下表)。",
            "en": "No document of the upload could be kept (see the table below).",
        },
        "import.error.write_failed": {
            "zh": "上传无法保存:{error}",
            "en": "The upload could not be saved: {error}",
        },
        "import.error.busy": {
            "zh": "这个语料正在导入,请等它结束后再添加文件。",
            "en": "An import into this corpus is running; add files when it has ended.",
        },
        "import.error.config": {
            "zh": "语料文件夹无法使用:{error}",
            "en": "The corpora folder cannot be used: {error}",
        },
    }
)
