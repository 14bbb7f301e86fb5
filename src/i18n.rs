//! The interface's own words in each language the lessons are written in (`en`, `ja`, `zh-TW`, `ko`). What
//! kubectl and the cluster print stays as a real cluster prints it, in English.

/// The words for `key` in `lang` (English when the language or the key is unknown).
pub fn t(lang: &str, key: &str) -> &'static str {
    let i = match lang {
        "ja" => 1,
        "zh-TW" => 2,
        "ko" => 3,
        _ => 0,
    };
    WORDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, w)| w[i])
}

/// The words for `key` in `lang`, with `{n}` replaced by `n`.
pub fn t_n(lang: &str, key: &str, n: usize) -> String {
    t(lang, key).replace("{n}", &n.to_string())
}

/// Every key there are words for.
pub fn keys() -> impl Iterator<Item = &'static str> {
    WORDS.iter().map(|(k, _)| *k)
}

/// The languages, with their own names, for the language menus.
pub const LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("ja", "日本語"),
    ("zh-TW", "繁體中文"),
    ("ko", "한국어"),
];

/// The language a browser asks for, if it is one of ours: `ja-JP` is `ja`, `zh-TW` and `zh-Hant…` are `zh-TW`.
pub fn from_browser(tag: &str) -> Option<&'static str> {
    let tag = tag.to_ascii_lowercase();
    if tag.starts_with("ja") {
        Some("ja")
    } else if tag.starts_with("zh-tw") || tag.starts_with("zh-hant") || tag.starts_with("zh-hk") {
        Some("zh-TW")
    } else if tag.starts_with("ko") {
        Some("ko")
    } else if tag.starts_with("en") {
        Some("en")
    } else {
        None
    }
}

const WORDS: &[(&str, [&str; 4])] = &[
    // The toolbar.
    ("tagline", ["StatefulSet playground", "StatefulSet プレイグラウンド", "StatefulSet 練習場", "StatefulSet 플레이그라운드"]),
    ("apply", ["Apply", "適用 (Apply)", "套用 (Apply)", "적용 (Apply)"]),
    ("scale-down", ["Scale −", "スケール −", "縮減 −", "스케일 −"]),
    ("scale-up", ["Scale +", "スケール +", "擴展 +", "스케일 +"]),
    ("delete", ["Delete", "削除", "刪除", "삭제"]),
    ("lesson", ["Lesson", "レッスン", "課程", "레슨"]),
    ("dark", ["Dark", "ダーク", "深色", "다크"]),
    ("large", ["Large text", "大きな文字", "大字體", "큰 글자"]),
    ("reset", ["Reset", "リセット", "重設", "초기화"]),
    ("language", ["Language", "言語", "語言", "언어"]),
    // The clock.
    ("play", ["▶ Play", "▶ 再生", "▶ 播放", "▶ 재생"]),
    ("pause", ["❚❚ Pause", "❚❚ 一時停止", "❚❚ 暫停", "❚❚ 일시정지"]),
    ("next-event", ["⇥ Next event", "⇥ 次のイベント", "⇥ 下一個事件", "⇥ 다음 이벤트"]),
    ("working", ["working…", "処理中…", "處理中…", "처리 중…"]),
    ("rewinding", ["rewinding…", "巻き戻し中…", "倒帶中…", "되감는 중…"]),
    ("back-to", ["Back to", "戻る:", "回到", "돌아가기:"]),
    // The editor and the cluster.
    ("edit-hint", ["Edit, then press Apply", "編集して Apply を押す", "編輯後按 Apply", "편집한 뒤 Apply를 누르세요"]),
    ("namespace", ["Namespace", "Namespace", "Namespace", "Namespace"]),
    ("empty-title", ["The cluster is empty", "クラスターは空です", "叢集是空的", "클러스터가 비어 있습니다"]),
    ("empty-body", [
        "The editor holds the StatefulSet Basics manifest: a headless Service nginx and a StatefulSet web with two replicas, each with its own volume claim www.",
        "エディターには StatefulSet Basics のマニフェストが入っています: Headless Service の nginx と、レプリカ 2 つの StatefulSet web です。各レプリカは専用のボリューム要求 www を持ちます。",
        "編輯器裡是 StatefulSet Basics 的資源清單：Headless Service nginx，以及有兩個副本的 StatefulSet web，每個副本都有自己的磁碟區要求 www。",
        "에디터에는 StatefulSet Basics 매니페스트가 들어 있습니다. 헤드리스 Service nginx와 레플리카 두 개짜리 StatefulSet web이며, 각 레플리카는 자신만의 볼륨 요청 www를 가집니다.",
    ]),
    ("empty-press", [
        "Press Apply and watch web-0 start before web-1.",
        "Apply を押して、web-0 が web-1 より先に起動する様子を見てみましょう。",
        "按下 Apply，看看 web-0 如何比 web-1 先啟動。",
        "Apply를 누르고 web-0이 web-1보다 먼저 시작하는 모습을 지켜보세요.",
    ]),
    ("other-pods", ["Other pods", "その他の Pod", "其他 Pod", "기타 Pod"]),
    ("nodes", ["Nodes", "ノード", "節點", "노드"]),
    ("services", ["Services", "Service", "Service", "Service"]),
    ("volumes", ["PersistentVolumes", "PersistentVolume", "PersistentVolume", "PersistentVolume"]),
    ("events", ["Events", "イベント", "事件", "이벤트"]),
    ("not-created", ["not created yet", "まだ作成されていません", "尚未建立", "아직 생성되지 않음"]),
    ("no-pod", ["no pod", "Pod なし", "沒有 Pod", "Pod 없음"]),
    ("set-controls", ["Update, roll back, delete…", "更新・ロールバック・削除…", "更新、回復、刪除…", "업데이트, 롤백, 삭제…"]),
    // The lesson panel.
    ("step", ["Step", "ステップ", "步驟", "단계"]),
    ("copy", ["Put on the terminal's line", "ターミナルに入力", "貼到終端機", "터미널에 입력"]),
    ("show", ["Show me", "やってみせて", "示範給我看", "보여 주세요"]),
    ("hint", ["Hint", "ヒント", "提示", "힌트"]),
    ("back", ["Back", "戻る", "上一步", "이전"]),
    ("next", ["Next", "次へ", "下一步", "다음"]),
    ("done", ["Done: the cluster shows it.", "完了: クラスターに反映されました。", "完成：叢集已經是這個樣子了。", "완료: 클러스터에 반영되었습니다."]),
    ("waiting", [
        "Not yet: the step turns done when the cluster shows it.",
        "まだです: クラスターに反映されると完了になります。",
        "還沒：叢集呈現出來時，這一步就會完成。",
        "아직입니다: 클러스터에 반영되면 완료됩니다.",
    ]),
    ("finished", ["Lesson complete. Well done!", "レッスン完了です。お疲れさまでした!", "課程完成，做得好！", "레슨 완료! 수고하셨습니다."]),
    ("close", ["Close the lesson", "レッスンを閉じる", "關閉課程", "레슨 닫기"]),
    // The terminal's own words (what kubectl and the shell print stays as they print it).
    ("term-greeting", [
        "# bash and kubectl, connected to the simulated cluster.\n# Tab completes · ↑ recalls · Ctrl+C stops a watch\n# Try: kubectl get pods -w",
        "# bash と kubectl が、シミュレーションのクラスターにつながっています。\n# Tab で補完 · ↑ で履歴 · Ctrl+C で監視 (watch) を止める\n# 試しに: kubectl get pods -w",
        "# bash 與 kubectl 已連上模擬的叢集。\n# Tab 自動補全 · ↑ 叫回先前的指令 · Ctrl+C 停止監看（watch）\n# 試試看：kubectl get pods -w",
        "# bash와 kubectl이 시뮬레이션 클러스터에 연결되어 있습니다.\n# Tab 자동 완성 · ↑ 이전 명령 · Ctrl+C 감시(watch) 중지\n# 예: kubectl get pods -w",
    ]),
    ("term-from-toolbar", ["# from the toolbar: {line}", "# ツールバーから: {line}", "# 來自工具列：{line}", "# 툴바에서: {line}"]),
    ("term-no-sts-scale", [
        "# No StatefulSet to scale yet: press Apply to create the one in the editor.",
        "# スケールする StatefulSet がまだありません。Apply を押して、エディターの StatefulSet を作成してください。",
        "# 還沒有可以調整規模的 StatefulSet：按下 Apply 建立編輯器裡的那一個。",
        "# 아직 스케일할 StatefulSet이 없습니다. Apply를 눌러 에디터의 StatefulSet을 만드세요.",
    ]),
    ("term-no-sts-delete", ["# No StatefulSet to delete.", "# 削除する StatefulSet がありません。", "# 沒有可以刪除的 StatefulSet。", "# 삭제할 StatefulSet이 없습니다."]),
    ("term-probe-fails", [
        "# fault: the readiness probe of {name} now fails",
        "# 障害: {name} の readiness probe が失敗するようになりました",
        "# 故障：{name} 的 readiness probe 開始失敗",
        "# 장애: 이제 {name}의 readiness probe가 실패합니다",
    ]),
    ("term-probe-passes", [
        "# fault: the readiness probe of {name} passes again",
        "# 障害: {name} の readiness probe が再び成功するようになりました",
        "# 故障：{name} 的 readiness probe 恢復成功",
        "# 장애: {name}의 readiness probe가 다시 성공합니다",
    ]),
    ("term-crash", [
        "# fault: the container of {name} exits with an error at every start",
        "# 障害: {name} のコンテナーは起動するたびにエラーで終了します",
        "# 故障：{name} 的容器每次啟動都會出錯結束",
        "# 장애: {name}의 컨테이너가 시작할 때마다 오류로 종료됩니다",
    ]),
    ("term-crash-mended", [
        "# fault mended: the container of {name} runs normally from its next start",
        "# 障害復旧: {name} のコンテナーは次の起動から正常に動きます",
        "# 故障排除：{name} 的容器從下次啟動起恢復正常",
        "# 장애 복구: {name}의 컨테이너가 다음 시작부터 정상적으로 실행됩니다",
    ]),
    ("term-kubelet-started", ["# fault: {node}: kubelet started again", "# 障害: {node}: kubelet が再び起動しました", "# 故障：{node}：kubelet 已重新啟動", "# 장애: {node}: kubelet이 다시 시작되었습니다"]),
    ("term-kubelet-stopped", [
        "# fault: {node}: kubelet stopped: the node stops answering",
        "# 障害: {node}: kubelet が停止し、ノードが応答しなくなります",
        "# 故障：{node}：kubelet 已停止，節點不再回應",
        "# 장애: {node}: kubelet이 멈춰 노드가 응답하지 않습니다",
    ]),
    ("term-reset", [
        "# A new, empty cluster. The shell keeps its history and aliases.",
        "# 新しい空のクラスターです。シェルの履歴とエイリアスはそのまま残ります。",
        "# 全新的空叢集。Shell 的歷史紀錄和別名都保留著。",
        "# 비어 있는 새 클러스터입니다. 셸의 기록과 별칭은 그대로 남아 있습니다.",
    ]),
    ("term-label", ["Terminal", "ターミナル", "終端機", "터미널"]),
    ("term-running", ["running · Ctrl+C stops it", "実行中 · Ctrl+C で停止", "執行中 · 按 Ctrl+C 停止", "실행 중 · Ctrl+C로 중지"]),
    ("term-send-ctrl-c", ["Send Ctrl+C", "Ctrl+C を送る", "送出 Ctrl+C", "Ctrl+C 보내기"]),
    ("term-clear", ["Clear", "消去", "清除", "지우기"]),
    ("term-clear-title", ["Clear the screen (Ctrl+L)", "画面を消去 (Ctrl+L)", "清除畫面（Ctrl+L）", "화면 지우기 (Ctrl+L)"]),
    ("term-waiting-title", [
        "Typed while the cluster was still working: runs once it has caught up",
        "クラスターの処理中に入力されたコマンド: 処理が追いつくと実行されます",
        "叢集還在處理時輸入的指令：處理完後就會執行",
        "클러스터가 처리 중일 때 입력한 명령: 처리가 끝나면 실행됩니다",
    ]),
    ("term-input-label", [
        "Terminal input: type a command and press Enter",
        "ターミナルの入力: コマンドを入力して Enter を押します",
        "終端機輸入：輸入指令後按 Enter",
        "터미널 입력: 명령을 입력하고 Enter를 누르세요",
    ]),
    // The toolbar's groups and titles.
    ("tb-actions", ["Cluster actions", "クラスターの操作", "叢集操作", "클러스터 작업"]),
    ("tb-display", ["Display", "表示", "顯示", "화면"]),
    ("tb-lesson-title", [
        "A guided lesson beside the editor and the cluster",
        "エディターとクラスターの横にガイド付きレッスンを表示",
        "在編輯器與叢集旁邊開啟引導式課程",
        "에디터와 클러스터 옆에 안내 레슨을 엽니다",
    ]),
    ("tb-dark-title", [
        "A dark theme, easier on a classroom projector",
        "暗い配色。教室のプロジェクターで見やすくなります",
        "深色主題，在教室投影機上比較清楚",
        "어두운 테마. 교실 프로젝터에서 보기 편합니다",
    ]),
    ("tb-large-title", [
        "Everything a quarter bigger, readable from the back of the room",
        "すべてを 1.25 倍に。教室の後ろからでも読めます",
        "全部放大 1.25 倍，教室後排也看得清楚",
        "모든 것을 1.25배로. 교실 뒤에서도 읽을 수 있습니다",
    ]),
    ("tb-reset-title", ["Start again with an empty cluster", "空のクラスターでやり直す", "用空的叢集重新開始", "빈 클러스터로 다시 시작"]),
    // Saved work.
    ("not-restored", [
        "Your saved session could not be restored: {reason}. This is a fresh start; the saved copy is kept aside in this browser.",
        "保存されていたセッションを復元できませんでした: {reason}。新しい状態から始めます。保存されていた内容はこのブラウザーに別に残してあります。",
        "無法還原先前儲存的工作階段：{reason}。現在從頭開始；原本儲存的內容另外保留在這個瀏覽器裡。",
        "저장된 세션을 복원하지 못했습니다: {reason}. 새로 시작합니다. 저장되어 있던 내용은 이 브라우저에 따로 남겨 두었습니다.",
    ]),
    ("not-saved", [
        "Not saved: {reason}. Your work stays while this tab is open.",
        "保存されていません: {reason}。このタブを開いている間は作業が残ります。",
        "尚未儲存：{reason}。這個分頁開著的時候，你的工作都還在。",
        "저장되지 않음: {reason}. 이 탭을 열어 두는 동안에는 작업이 유지됩니다.",
    ]),
    ("link-broken", [
        "The link's session could not be opened: {reason}.",
        "リンクのセッションを開けませんでした: {reason}。",
        "無法開啟連結裡的工作階段：{reason}。",
        "링크의 세션을 열지 못했습니다: {reason}.",
    ]),
    ("file-broken", [
        "That file could not be opened as a session: {reason}.",
        "このファイルはセッションとして開けませんでした: {reason}。",
        "無法把這個檔案當作工作階段開啟：{reason}。",
        "이 파일을 세션으로 열지 못했습니다: {reason}.",
    ]),
    ("lessons-unavailable", [
        "The lessons could not be loaded ({reason}). Check the network and open the lesson list again.",
        "レッスンを読み込めませんでした（{reason}）。ネットワークを確認して、もう一度レッスン一覧を開いてください。",
        "無法載入課程（{reason}）。請確認網路連線後，再開一次課程列表。",
        "레슨을 불러오지 못했습니다({reason}). 네트워크를 확인하고 레슨 목록을 다시 열어 주세요.",
    ]),
    ("session", ["Session", "セッション", "工作階段", "세션"]),
    ("share-link", ["Make a link to this session", "このセッションへのリンクを作る", "產生這個工作階段的連結", "이 세션의 링크 만들기"]),
    ("link-ready", [
        "Whoever opens this link gets this very cluster:",
        "このリンクを開くと、このクラスターがそのまま再現されます:",
        "打開這個連結，就會重現一模一樣的叢集：",
        "이 링크를 열면 이 클러스터가 그대로 재현됩니다:",
    ]),
    ("export", ["Save to a file", "ファイルに保存", "存成檔案", "파일로 저장"]),
    ("import", ["Open a saved file…", "保存したファイルを開く…", "開啟儲存的檔案…", "저장한 파일 열기…"]),
    ("updated", [
        "A new version of Ordinal has been installed: it is used from the next time you open the page. Your work is kept.",
        "Ordinal の新しいバージョンをインストールしました。次にページを開いたときから使われます。作業内容はそのまま残ります。",
        "已安裝新版的 Ordinal：下次開啟頁面時就會使用。你的工作都會保留。",
        "Ordinal 새 버전이 설치되었습니다. 다음에 페이지를 열 때부터 사용됩니다. 작업 내용은 그대로 유지됩니다.",
    ]),
    ("dismiss", ["Dismiss", "閉じる", "關閉", "닫기"]),
    ("reset-ask", [
        "Start again with an empty cluster? Everything in the cluster is gone; the editor's files and the terminal's history stay.",
        "空のクラスターでやり直しますか? クラスターの中身はすべて消えます。エディターのファイルとターミナルの履歴は残ります。",
        "要用空的叢集重新開始嗎？叢集裡的東西會全部消失；編輯器的檔案和終端機的歷史紀錄會保留。",
        "빈 클러스터로 다시 시작할까요? 클러스터의 모든 것이 사라집니다. 에디터의 파일과 터미널 기록은 남습니다.",
    ]),
    ("reset-yes", ["Start again", "やり直す", "重新開始", "다시 시작"]),
    ("reset-no", ["Cancel", "キャンセル", "取消", "취소"]),
    ("lessons", ["Lessons", "レッスン一覧", "課程列表", "레슨 목록"]),
    ("all-lessons", ["All lessons", "レッスン一覧へ", "所有課程", "전체 레슨"]),
    ("steps-count", ["{n} steps", "{n} ステップ", "{n} 個步驟", "{n}단계"]),
    ("lesson-done", ["finished", "完了", "已完成", "완료"]),
    ("lesson-started", ["in progress", "途中", "進行中", "진행 중"]),
    ("lesson-unreadable", [
        "These lesson files could not be read:",
        "次のレッスンファイルを読み込めませんでした:",
        "下列課程檔案無法讀取：",
        "다음 레슨 파일을 읽지 못했습니다:",
    ]),
    ("parts", ["Parts", "パート", "部分", "파트"]),
    ("part", ["Part {n}", "パート {n}", "第 {n} 部分", "파트 {n}"]),
    ("note", ["Note", "注意", "注意", "참고"]),
    ("open-file", ["Open in the editor", "エディターで開く", "在編輯器中開啟", "에디터에서 열기"]),
    ("goal", ["Goal: the cluster when this step is done", "ゴール: このステップを終えたときのクラスター", "目標：完成這一步時的叢集", "목표: 이 단계를 마쳤을 때의 클러스터"]),
    ("goal-met", ["your cluster has it", "あなたのクラスターにもあります", "你的叢集已經有了", "내 클러스터에도 있음"]),
    ("goal-missing", ["not in your cluster yet", "まだあなたのクラスターにはありません", "你的叢集還沒有", "아직 내 클러스터에 없음"]),
    ("goal-empty", ["Nothing left: the step cleans up.", "何も残りません: このステップで後片付けをします。", "什麼都不剩：這一步會清理乾淨。", "아무것도 남지 않습니다: 이 단계에서 정리합니다."]),
    ("source", ["Follows", "出典", "參考", "출처"]),
    ("catch-up", ["Do steps 1–{n} for me", "ステップ 1〜{n} を代わりに実行", "幫我完成步驟 1–{n}", "1~{n}단계를 대신 실행"]),
    ("catching-up", ["Doing steps 1–{n} for you…", "ステップ 1〜{n} を実行しています…", "正在幫你完成步驟 1–{n}…", "1~{n}단계를 실행하는 중…"]),
    ("next-lesson", ["Next lesson", "次のレッスン", "下一堂課", "다음 레슨"]),
    ("stuck", ["Stuck? A hint, then the answer", "困ったら: ヒントと答え", "卡住了嗎？先看提示，再看答案", "막혔나요? 힌트와 정답"]),
    // ---- The cluster view's cards, the set's controls, the clock, DNS and the editor: labels, buttons,
    // titles and what a screen reader hears. `{n}` (and `{client}`, `{name}`, `{age}`) are filled in. ----
    ("cv-ns-title", [
        "The namespace kubectl works in in the terminal: choosing one runs kubectl config set-context",
        "ターミナルの kubectl が操作する Namespace です。選ぶと kubectl config set-context が実行されます",
        "終端機裡 kubectl 操作的 Namespace；選擇後會執行 kubectl config set-context",
        "터미널의 kubectl이 작업하는 Namespace입니다. 고르면 kubectl config set-context가 실행됩니다",
    ]),
    ("cv-more-pods", ["… and {n} more pods (the terminal lists them all)", "… ほかに Pod が {n} 個あります (ターミナルではすべて表示されます)", "… 還有 {n} 個 Pod（終端機會列出全部）", "… 외 Pod {n}개 (터미널에서 모두 볼 수 있습니다)"]),
    ("cv-more-volumes", ["… and {n} more volumes (the terminal lists them all)", "… ほかに PersistentVolume が {n} 個あります (ターミナルではすべて表示されます)", "… 還有 {n} 個 PersistentVolume（終端機會列出全部）", "… 외 PersistentVolume {n}개 (터미널에서 모두 볼 수 있습니다)"]),
    ("cv-more-ordinals", ["… and {n} more ordinals (the terminal lists them all)", "… ほかに順序インデックスが {n} 個あります (ターミナルではすべて表示されます)", "… 還有 {n} 個序號（終端機會列出全部）", "… 외 서수 {n}개 (터미널에서 모두 볼 수 있습니다)"]),
    ("cv-node-pod", ["{n} pod", "Pod {n} 個", "{n} 個 Pod", "Pod {n}개"]),
    ("cv-node-pods", ["{n} pods", "Pod {n} 個", "{n} 個 Pod", "Pod {n}개"]),
    ("cv-cordon", ["Cordon", "スケジュール停止", "停止排程", "스케줄링 중지"]),
    ("cv-uncordon", ["Uncordon", "スケジュール再開", "恢復排程", "스케줄링 재개"]),
    ("cv-stop-kubelet", ["Stop kubelet", "kubelet を停止", "停止 kubelet", "kubelet 중지"]),
    ("cv-start-kubelet", ["Start kubelet", "kubelet を起動", "啟動 kubelet", "kubelet 시작"]),
    ("cv-fault-node", [
        "Fault: the node stops (or resumes) answering",
        "障害: ノードが応答しなくなります (もう一度押すと応答を再開します)",
        "故障：節點停止回應（再按一次就恢復）",
        "장애: 노드가 응답을 멈춥니다 (다시 누르면 응답을 재개합니다)",
    ]),
    ("cv-ready", [" ready", " Ready", " 就緒", " 준비됨"]),
    ("cv-ready-title", ["READY: ready pods / desired replicas", "READY: Ready の Pod 数 / 指定したレプリカ数", "READY：已就緒的 Pod 數 / 期望的副本數", "READY: Ready인 Pod 수 / 원하는 레플리카 수"]),
    ("cv-node", ["node", "ノード", "節點", "노드"]),
    ("cv-age", ["age", "経過時間", "存在時間", "경과 시간"]),
    ("cv-restarts", ["restarts", "再起動", "重新啟動", "재시작"]),
    ("cv-break-probe", ["Break probe", "プローブを壊す", "弄壞探針", "프로브 고장 내기"]),
    ("cv-heal-probe", ["Heal probe", "プローブを直す", "修好探針", "프로브 고치기"]),
    ("cv-fault-probe", [
        "Fault: make the readiness probe fail (or pass again)",
        "障害: readiness probe を失敗させます (もう一度押すと成功に戻ります)",
        "故障：讓 readiness probe 失敗（再按一次就恢復成功）",
        "장애: readiness probe가 실패하게 합니다 (다시 누르면 성공으로 돌아갑니다)",
    ]),
    ("cv-crash", ["Crash", "クラッシュさせる", "讓它崩潰", "크래시 일으키기"]),
    ("cv-stop-crash", ["Stop crash", "クラッシュを止める", "停止崩潰", "크래시 멈추기"]),
    ("cv-fault-crash", [
        "Fault: the container exits with an error at every start",
        "障害: コンテナが起動するたびにエラーで終了します",
        "故障：容器每次啟動都會出錯結束",
        "장애: 컨테이너가 시작할 때마다 오류로 종료됩니다",
    ]),
    ("cv-said-pod", ["pod", "Pod", "Pod", "Pod"]),
    ("cv-said-claim", ["claim", "PVC", "PVC", "PVC"]),
    ("cv-said-gone", ["gone", "なくなりました", "已消失", "사라짐"]),
    ("cv-said-more", ["and {n} more changes", "ほか {n} 件の変化", "另外還有 {n} 項變化", "외 {n}건의 변화"]),
    // The set's controls.
    ("sc-image", ["Image", "イメージ", "映像檔", "이미지"]),
    ("sc-set-image", ["Set image", "イメージを変更", "更換映像檔", "이미지 변경"]),
    ("sc-set-image-title", [
        "kubectl set image: a rolling update, highest ordinal first",
        "kubectl set image: 順序インデックスの大きい Pod から順にローリングアップデートします",
        "kubectl set image：從序號最大的 Pod 開始滾動更新",
        "kubectl set image: 서수가 가장 큰 Pod부터 롤링 업데이트합니다",
    ]),
    ("sc-partition", ["Partition", "partition", "partition", "partition"]),
    ("sc-set-partition", ["Set partition", "partition を設定", "設定 partition", "partition 설정"]),
    ("sc-set-partition-title", [
        "kubectl patch: pods below this ordinal keep the old revision",
        "kubectl patch: この順序インデックスより小さい Pod は古いリビジョンのままになります",
        "kubectl patch：序號小於這個值的 Pod 會保留舊的修訂版本",
        "kubectl patch: 이 서수보다 작은 Pod는 이전 리비전을 유지합니다",
    ]),
    ("sc-roll-back", ["Roll back", "ロールバック", "回復", "롤백"]),
    ("sc-roll-back-title", [
        "kubectl rollout undo: back to the previous revision",
        "kubectl rollout undo: 1 つ前のリビジョンに戻します",
        "kubectl rollout undo：回到上一個修訂版本",
        "kubectl rollout undo: 이전 리비전으로 되돌립니다",
    ]),
    ("sc-delete-orphan", ["Delete, keep pods", "削除 (Pod は残す)", "刪除，保留 Pod", "삭제 (Pod는 유지)"]),
    ("sc-delete-orphan-title", [
        "kubectl delete --cascade=orphan: the set goes, its pods and claims stay",
        "kubectl delete --cascade=orphan: StatefulSet は削除され、Pod と PVC は残ります",
        "kubectl delete --cascade=orphan：刪除 StatefulSet，Pod 和 PVC 會留下來",
        "kubectl delete --cascade=orphan: StatefulSet은 삭제되고 Pod와 PVC는 남습니다",
    ]),
    ("sc-delete-cascade", ["Delete with its pods", "Pod ごと削除", "連同 Pod 一起刪除", "Pod와 함께 삭제"]),
    ("sc-delete-cascade-title", [
        "kubectl delete: the set goes and its pods with it; the claims stay",
        "kubectl delete: StatefulSet とその Pod が削除され、PVC は残ります",
        "kubectl delete：StatefulSet 和它的 Pod 都會刪除，PVC 會留下來",
        "kubectl delete: StatefulSet과 그 Pod가 삭제되고 PVC는 남습니다",
    ]),
    // The clock and the timeline.
    ("tl-label", ["Virtual clock and timeline", "仮想時計とタイムライン", "虛擬時鐘與時間軸", "가상 시계와 타임라인"]),
    ("tl-run", ["Run the clock", "時計を進める", "讓時鐘開始走", "시계 진행"]),
    ("tl-pause", ["Pause the clock", "時計を止める", "暫停時鐘", "시계 일시정지"]),
    ("tl-next-event", [
        "Run the clock until the cluster records its next Event, and stop there",
        "クラスターが次の Event を記録するまで時計を進め、そこで止めます",
        "讓時鐘走到叢集記錄下一個 Event 為止，然後停在那裡",
        "클러스터가 다음 Event를 기록할 때까지 시계를 진행하고 거기서 멈춥니다",
    ]),
    ("tl-step", ["Advance the clock by 5 seconds", "時計を 5 秒進めます", "讓時鐘前進 5 秒", "시계를 5초 앞으로 진행합니다"]),
    ("tl-speed", ["Speed", "速度", "速度", "속도"]),
    ("tl-clock", ["Virtual time since the cluster started", "クラスター起動からの仮想時間", "叢集啟動以來的虛擬時間", "클러스터가 시작된 뒤의 가상 시간"]),
    ("tl-working", [
        "The controllers are still working through a large change; the clock runs slower meanwhile",
        "コントローラーが大きな変更をまだ処理しています。その間、時計はゆっくり進みます",
        "控制器還在處理一個大的變更；這段期間時鐘會走得比較慢",
        "컨트롤러가 아직 큰 변경을 처리하는 중입니다. 그동안 시계가 느리게 갑니다",
    ]),
    ("tl-timeline", [
        "Timeline: drag back to see the cluster as it was",
        "タイムライン: 左へドラッグすると、その時点のクラスターが表示されます",
        "時間軸：往回拖曳，就能看到叢集當時的樣子",
        "타임라인: 뒤로 끌면 그 시점의 클러스터를 볼 수 있습니다",
    ]),
    ("tl-present", [
        "Replay everything recorded, up to where the session had got",
        "記録した操作をすべて再生して、セッションの最新の時点に戻ります",
        "重播所有記錄下來的操作，回到這次練習進行到的地方",
        "기록된 작업을 모두 다시 재생해 세션이 진행된 시점으로 돌아갑니다",
    ]),
    // The pods' DNS lookups.
    ("dns-title", ["DNS lookups", "DNS の名前解決", "DNS 查詢", "DNS 조회"]),
    ("dns-hint", ["search list → CoreDNS", "検索リスト → CoreDNS", "搜尋清單 → CoreDNS", "검색 목록 → CoreDNS"]),
    ("dns-log", ["CoreDNS log plugin", "CoreDNS の log プラグイン", "CoreDNS 的 log 外掛", "CoreDNS log 플러그인"]),
    ("dns-lookup", ["{client} looked up {name}", "{client} が {name} を名前解決", "{client} 查詢了 {name}", "{client}에서 {name} 조회"]),
    ("dns-ago", [" {age} ago", " ({age} 前)", "（{age} 前）", " ({age} 전)"]),
    ("dns-not-found", ["not found", "見つかりません", "找不到", "찾을 수 없음"]),
    // The editor.
    ("ed-save", ["Save", "保存", "儲存", "저장"]),
    ("ed-close", ["Close without saving", "保存せずに閉じる", "不儲存並關閉", "저장하지 않고 닫기"]),
    ("ed-files", ["Manifests in your home directory", "ホームディレクトリのマニフェスト", "家目錄裡的資源清單", "홈 디렉터리의 매니페스트"]),
    ("ed-new-title", ["A new manifest in a tab of its own", "新しいマニフェストを別のタブで開きます", "在新分頁開啟一份新的資源清單", "새 탭에서 새 매니페스트를 엽니다"]),
    ("ed-new", ["New manifest", "新しいマニフェスト", "新增資源清單", "새 매니페스트"]),
    ("ed-yaml", ["Kubernetes YAML manifest", "Kubernetes の YAML マニフェスト", "Kubernetes YAML 資源清單", "Kubernetes YAML 매니페스트"]),
    ("ed-nothing-applied", [
        "Nothing was applied: the cluster is unchanged.",
        "何も適用されていません。クラスターは変わっていません。",
        "沒有套用任何東西：叢集維持原狀。",
        "아무것도 적용되지 않았습니다. 클러스터는 그대로입니다.",
    ]),
    // ---- end of the cluster view's block ----
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_words_in_every_language_and_unknown_ones_fall_back() {
        for (key, words) in WORDS {
            assert!(words.iter().all(|w| !w.is_empty()), "{key}");
        }
        assert_eq!(t("ja", "lesson"), "レッスン");
        assert_eq!(t("fr", "lesson"), "Lesson");
        assert_eq!(from_browser("zh-Hant-TW"), Some("zh-TW"));
        assert_eq!(from_browser("ja-JP"), Some("ja"));
        assert_eq!(from_browser("de-DE"), None);
    }

    /// The placeholders the code fills in (`{n}`, `{client}`…) of one text, in order.
    fn placeholders(text: &str) -> Vec<&str> {
        text.match_indices('{')
            .filter_map(|(at, _)| text[at..].find('}').map(|end| &text[at..=at + end]))
            .collect()
    }

    #[test]
    fn keys_are_unique_and_every_language_has_the_same_placeholders() {
        let mut seen = std::collections::BTreeSet::new();
        for (key, words) in WORDS {
            assert!(
                seen.insert(*key),
                "{key} is in WORDS twice: the second is never shown"
            );
            let mut english = placeholders(words[0]);
            ordinal_engine::sort::sort(&mut english);
            for (lang, text) in LANGUAGES.iter().zip(words) {
                assert!(!text.trim().is_empty(), "{key} has no words in {}", lang.0);
                let mut these = placeholders(text);
                ordinal_engine::sort::sort(&mut these);
                assert_eq!(these, english, "{key} in {}: {text}", lang.0);
            }
        }
    }

    /// The string literals among the arguments of every call of `t(`, `t_n(` or `say(` in `source`.
    fn keys_asked_for(source: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for call in ["t(", "t_n(", "say("] {
            for (at, _) in source.match_indices(call) {
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                // The arguments, up to the parenthesis that closes the call.
                let args = &source[at + call.len()..];
                let mut depth = 1;
                let mut end = args.len();
                let mut in_string = false;
                let mut escaped = false;
                for (i, c) in args.char_indices() {
                    match (in_string, c) {
                        (true, _) if escaped => escaped = false,
                        (true, '\\') => escaped = true,
                        (_, '"') => in_string = !in_string,
                        (false, '(') => depth += 1,
                        (false, ')') => {
                            depth -= 1;
                            if depth == 0 {
                                end = i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                keys.extend(
                    args[..end]
                        .split('"')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_string),
                );
            }
        }
        // The announcer keeps its keys beside the names it announces.
        keys.extend(
            source
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| s.starts_with("cv-said-"))
                .map(str::to_string),
        );
        keys
    }

    #[test]
    fn every_key_the_components_ask_for_has_words() {
        let sources = [
            ("app.rs", include_str!("components/app.rs")),
            (
                "cluster_view.rs",
                include_str!("components/cluster_view.rs"),
            ),
            ("dns_panel.rs", include_str!("components/dns_panel.rs")),
            ("editor.rs", include_str!("components/editor.rs")),
            (
                "lesson_panel.rs",
                include_str!("components/lesson_panel.rs"),
            ),
            (
                "set_controls.rs",
                include_str!("components/set_controls.rs"),
            ),
            ("terminal.rs", include_str!("components/terminal.rs")),
            ("timeline.rs", include_str!("components/timeline.rs")),
            ("toolbar.rs", include_str!("components/toolbar.rs")),
        ];
        let mut asked = 0;
        for (file, source) in sources {
            for key in keys_asked_for(source) {
                asked += 1;
                let words = WORDS.iter().find(|(k, _)| *k == key);
                assert!(
                    words.is_some(),
                    "{file} asks for {key:?}, which WORDS does not have"
                );
            }
        }
        assert!(asked > 50, "the scan found only {asked} keys");
    }
}
