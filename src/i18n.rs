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
    ("pause", ["⏸ Pause", "⏸ 一時停止", "⏸ 暫停", "⏸ 일시정지"]),
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
}
