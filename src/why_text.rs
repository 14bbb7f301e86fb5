//! Why things wait, in the learner's language. The engine answers with data ([`Why`], [`PodState`]) and words it
//! in English through `Display`, as the terminal's `why` command prints it (like kubectl, in English); the
//! cluster view words the same answers here in the language of the interface. English is `Display` itself, so
//! the screen and the terminal say the same in English; Japanese, Traditional Chinese and Korean are written for
//! their readers. Kubernetes kinds, object names, fields and the words kubectl prints (Running, Ready, Pending,
//! ContainerCreating, WaitForFirstConsumer…) stay in Latin letters, as the lessons keep them; what a component
//! wrote itself (the scheduler's message, a probe's output) is quoted as it is.
//!
//! Each language's match lists every variant with no wildcard: a new variant does not compile until it is
//! worded in every language.

use ordinal_engine::why::{PodState, Why};

/// `w` in `lang` (`en`, `ja`, `zh-TW`, `ko`; English for any other).
pub fn why(lang: &str, w: &Why) -> String {
    match lang {
        "ja" => ja::why(w),
        "zh-TW" => zh::why(w),
        "ko" => ko::why(w),
        _ => w.to_string(),
    }
}

/// How a pod that something waits for stands, in `lang`: the words after its name ("is Pending").
pub fn pod_state(lang: &str, s: &PodState) -> String {
    match lang {
        "ja" => ja::state(s),
        "zh-TW" => zh::state(s),
        "ko" => ko::state(s),
        _ => s.to_string(),
    }
}

/// Whole seconds left, rounded up, as `Display` counts them.
fn secs(ms: u64) -> u64 {
    ms.div_ceil(1000)
}

/// The finalizer that keeps a claim while a pod uses it.
const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";

mod ja {
    use super::{secs, PodState, Why, PVC_PROTECTION};

    fn list(names: &[String]) -> String {
        names.join("、")
    }

    /// `name` followed by `rest`, a space between them where `rest` starts in Latin letters ("web-0 は Pending
    /// です", "web-0 はまだ存在しません").
    fn is(name: &str, rest: &str) -> String {
        let space = if rest.starts_with(|c: char| c.is_ascii()) {
            " "
        } else {
            ""
        };
        format!("{name} は{space}{rest}")
    }

    pub(super) fn state(s: &PodState) -> String {
        match s {
            PodState::Missing => "まだ存在しません".to_string(),
            PodState::Pending(status) if status == "Pending" => "Pending です".to_string(),
            PodState::Pending(status) => format!("Pending ({status}) です"),
            PodState::NotReady => "Running ですが Ready ではありません".to_string(),
            PodState::NotAvailable {
                left_ms,
                min_ready_seconds,
            } => format!(
                "Ready ですが、まだ利用可能 (available) ではありません (minReadySeconds {min_ready_seconds}、残り {} 秒)",
                secs(*left_ms)
            ),
            PodState::Terminating => "Terminating です".to_string(),
            PodState::Ready => "Running かつ Ready です".to_string(),
            PodState::Finished(phase) => format!("{phase} で終了しています"),
        }
    }

    pub(super) fn why(w: &Why) -> String {
        match w {
            Why::WaitsForPredecessor {
                pod,
                blocker,
                state: s,
            } => format!(
                "{pod} は待機中です: {}。OrderedReady では、1 つ前の Pod が Running かつ Ready になってから次の Pod を作成します。",
                is(blocker, &state(s))
            ),
            Why::WaitsForRecreate { pod, blocker } => format!(
                "{pod} は待機中です: {blocker} は完全に停止したため、作り直すために削除されているところです (OrderedReady)。"
            ),
            Why::WaitsForStaleClaim { pod, claims } => format!(
                "{pod} は待機中です: PVC {} はまだ以前の {pod} のもので、その Pod と一緒に削除されます (whenScaled: Delete)。",
                list(claims)
            ),
            Why::SetDeleting { set } => format!(
                "StatefulSet {set} は削除中です: コントローラーはもう Pod を作成も置き換えもしません。"
            ),
            Why::ScaleDownAfterTerminating { pod, blocker } => format!(
                "{blocker} が終了したら、次に {pod} を削除します。OrderedReady では、順序インデックスの大きい Pod から 1 つずつスケールダウンします。"
            ),
            Why::ScaleDownWaitsForHealthy {
                pod,
                blocker,
                state: s,
            } => format!(
                "次に削除するのは {pod} です。ただ、いま {}。OrderedReady では、ほかの Pod がすべて Running かつ Ready のときにだけ Pod を削除します。",
                is(blocker, &state(s))
            ),
            Why::UpdateNext {
                pod,
                revision,
                blocker,
                max_unavailable,
            } => match blocker {
                Some((b, PodState::Missing)) => format!(
                    "{revision} へのローリングアップデート: {b} が作成されて Ready になったら、次に {pod} を置き換えます。同時に利用できなくなってよい Pod は {max_unavailable} 個までです (maxUnavailable)。"
                ),
                Some((b, s)) => format!(
                    "{revision} へのローリングアップデート: {b} が Running かつ Ready になったら、次に {pod} を置き換えます。いま {}。同時に利用できなくなってよい Pod は {max_unavailable} 個までです (maxUnavailable)。",
                    is(b, &state(s))
                ),
                None => format!("{revision} へのローリングアップデート: 次に {pod} を置き換えます。"),
            },
            Why::PartitionKeeps {
                partition,
                kept,
                revision,
            } => format!(
                "partition: {partition}: {} は古いリビジョンのままです。{revision} になるのは順序インデックス {partition} 以上の Pod だけです。先に進めるには partition を下げてください。",
                list(kept)
            ),
            Why::OnDeleteWaits { pods, revision } => format!(
                "updateStrategy OnDelete: {} は、削除されるまで古いリビジョンのまま動き続けます。作り直された Pod は {revision} になります。",
                list(pods)
            ),
            Why::Unschedulable { message } => {
                format!("スケジュールされていません。スケジューラーのメッセージ: {message}")
            }
            Why::NotScheduledYet => {
                "Pending: スケジューラーがまだノードに割り当てていません。".to_string()
            }
            Why::WaitsForVolumes { node, claims } => format!(
                "Pending: スケジューラーはノード {node} を選びました。Pod をバインドする前に、PVC {} のボリュームがそのノードに用意されるのを待っています。",
                list(claims)
            ),
            Why::ContainerWaiting {
                node,
                container,
                reason,
                message,
            } => {
                let mut text = match reason.as_str() {
                    "ContainerCreating" => format!(
                        "ノード {node}: kubelet がボリュームをマウントし、コンテナ {container} を起動しています。"
                    ),
                    "PodInitializing" => format!(
                        "ノード {node}: init コンテナが完了し、コンテナ {container} が起動するところです。"
                    ),
                    "ErrImagePull" | "ImagePullBackOff" => format!(
                        "ノード {node}: コンテナ {container} のイメージを pull できません ({reason})。kubelet は間隔を延ばしながら再試行します。"
                    ),
                    "CrashLoopBackOff" => format!(
                        "ノード {node}: コンテナ {container} が終了を繰り返しています。kubelet は再起動のたびに待ち時間を延ばします (CrashLoopBackOff)。"
                    ),
                    _ => format!("ノード {node}: コンテナ {container} は待機中です: {reason}。"),
                };
                if let Some(m) = message.as_deref().filter(|m| !m.is_empty()) {
                    text.push_str(m);
                }
                text
            }
            Why::InitRunning { container } => format!(
                "init コンテナ {container} が先に実行されます。アプリのコンテナは、これが成功してから起動します。"
            ),
            Why::NotReady { containers, probe } => {
                let mut text = match containers.as_slice() {
                    [] => "Running ですが Ready ではありません。".to_string(),
                    _ => format!(
                        "Running ですが Ready ではありません: コンテナ {} の準備ができていません。",
                        list(containers)
                    ),
                };
                if let Some(p) = probe {
                    text.push_str(p);
                }
                text
            }
            Why::NotAvailableYet {
                left_ms,
                min_ready_seconds,
            } => format!(
                "Ready ですが、minReadySeconds ({min_ready_seconds} 秒) が過ぎるまでは利用可能 (available) と見なされません。残り {} 秒です。",
                secs(*left_ms)
            ),
            Why::Terminating {
                left_ms,
                grace_seconds,
                node_down,
            } => match node_down {
                Some(node) => format!(
                    "Terminating: ノード {node} が応答しないため、コンテナが停止したことを確認できません。ノードが復帰するか Pod を強制削除するまで、このままです。"
                ),
                None if *left_ms > 0 => format!(
                    "Terminating: コンテナは SIGTERM を受け取りました。猶予期間 {grace_seconds} 秒のうち残りは {} 秒で、その後 kubelet がまだ動いているものを強制終了します。",
                    secs(*left_ms)
                ),
                None => "Terminating: 猶予期間が終わりました。kubelet が Pod を片付けています。".to_string(),
            },
            Why::Finished { phase, reason } => match reason {
                Some(r) => format!("{phase}: コンテナが再び実行されることはありません ({r})。"),
                None => format!("{phase}: コンテナが再び実行されることはありません。"),
            },
            Why::ClassMissing { class } => format!(
                "Pending: StorageClass \"{class}\" が存在しないため、ボリュームを作成できません。その StorageClass を作成するか、存在する StorageClass を指定して PVC を作り直してください (kubectl get storageclass)。"
            ),
            Why::WaitsForConsumer { class, pods } => match pods.as_slice() {
                [] => format!(
                    "Pending: StorageClass {class} のバインドモードは WaitForFirstConsumer です。この PVC を使う Pod がスケジュールされて初めてボリュームが作成されます。"
                ),
                _ => format!(
                    "Pending: StorageClass {class} のバインドモードは WaitForFirstConsumer です。ボリュームは、スケジューラーが {} に選んだノード上に作成されます。",
                    list(pods)
                ),
            },
            Why::Provisioning { provisioner } => {
                format!("Pending: プロビジョナー {provisioner} がボリュームを作成しています。")
            }
            Why::NoVolume => "Pending: 条件に合う PersistentVolume がなく、StorageClass も指定されていないため、ボリュームが作られることはありません。条件に合う PV を作成するか、storageClassName を設定してください。".to_string(),
            Why::ControllerSays { reason, message } => {
                format!("Pending。ボリュームコントローラーのメッセージ: {reason}: {message}")
            }
            Why::ClaimInUse { pods } => format!(
                "Terminating ですが、{} が使っている間は削除されません ({PVC_PROTECTION})。",
                list(pods)
            ),
            Why::ClaimKept { pod, set } => format!(
                "保持: {pod} はなくなりましたが、PVC とデータは残っています。StatefulSet {set} に再び {pod} ができると、新しい Pod がこの PVC をそのままマウントします。"
            ),
            Why::ClaimLost { volume } => {
                format!("Lost: ボリューム {volume} がなくなりました。データは元に戻せません。")
            }
            Why::VolumeReleased { claim, policy } => format!(
                "Released: PVC {claim} は削除されました。reclaimPolicy が {policy} なので、PV を自分で削除するまでボリュームとデータは残ります。"
            ),
            Why::VolumeAvailable => {
                "Available: どの PVC にもバインドされていません。条件に合う PVC があればバインドされます。".to_string()
            }
        }
    }
}

mod zh {
    use super::{secs, PodState, Why, PVC_PROTECTION};

    fn list(names: &[String]) -> String {
        names.join("、")
    }

    pub(super) fn state(s: &PodState) -> String {
        match s {
            PodState::Missing => "還不存在".to_string(),
            PodState::Pending(status) if status == "Pending" => "處於 Pending".to_string(),
            PodState::Pending(status) => format!("處於 Pending（{status}）"),
            PodState::NotReady => "處於 Running 而尚未 Ready".to_string(),
            PodState::NotAvailable {
                left_ms,
                min_ready_seconds,
            } => format!(
                "已經 Ready，但還不算可用（available）：minReadySeconds 為 {min_ready_seconds}，還剩 {} 秒",
                secs(*left_ms)
            ),
            PodState::Terminating => "處於 Terminating".to_string(),
            PodState::Ready => "已經 Running 且 Ready".to_string(),
            PodState::Finished(phase) => format!("已經結束（{phase}）"),
        }
    }

    pub(super) fn why(w: &Why) -> String {
        match w {
            Why::WaitsForPredecessor {
                pod,
                blocker,
                state: s,
            } => format!(
                "{pod} 正在等待：{blocker} {}。在 OrderedReady 下，前一個 Pod 進入 Running 且 Ready 之後，才會建立下一個 Pod。",
                state(s)
            ),
            Why::WaitsForRecreate { pod, blocker } => format!(
                "{pod} 正在等待：{blocker} 已經永久停止，正在刪除以便重新建立（OrderedReady）。"
            ),
            Why::WaitsForStaleClaim { pod, claims } => format!(
                "{pod} 正在等待：它的 PVC {} 仍屬於先前的 {pod}，會跟著它一起刪除（whenScaled: Delete）。",
                list(claims)
            ),
            Why::SetDeleting { set } => format!(
                "StatefulSet {set} 正在刪除：控制器不會再建立或替換任何 Pod。"
            ),
            Why::ScaleDownAfterTerminating { pod, blocker } => format!(
                "等 {blocker} 終止後，接著移除 {pod}：OrderedReady 會從序號最大的 Pod 開始縮減，一次一個。"
            ),
            Why::ScaleDownWaitsForHealthy {
                pod,
                blocker,
                state: s,
            } => format!(
                "接下來要移除 {pod}，但 {blocker} {}：OrderedReady 只有在其他 Pod 都 Running 且 Ready 時才會移除 Pod。",
                state(s)
            ),
            Why::UpdateNext {
                pod,
                revision,
                blocker,
                max_unavailable,
            } => match blocker {
                Some((b, PodState::Missing)) => format!(
                    "滾動更新至 {revision}：等 {b} 建立並 Ready 之後，接著替換 {pod}；同時最多只能有 {max_unavailable} 個 Pod 無法使用（maxUnavailable）。"
                ),
                Some((b, s)) => format!(
                    "滾動更新至 {revision}：等 {b} 進入 Running 且 Ready 之後，接著替換 {pod}。{b} 目前{}。同時最多只能有 {max_unavailable} 個 Pod 無法使用（maxUnavailable）。",
                    state(s)
                ),
                None => format!("滾動更新至 {revision}：接下來替換 {pod}。"),
            },
            Why::PartitionKeeps {
                partition,
                kept,
                revision,
            } => format!(
                "partition: {partition}：{} 保留舊的修訂版本；只有序號 {partition} 以上的 Pod 會換成 {revision}。要繼續更新，請調低 partition。",
                list(kept)
            ),
            Why::OnDeleteWaits { pods, revision } => format!(
                "updateStrategy OnDelete：{} 會繼續執行舊的修訂版本，直到你刪除{}；重新建立的 Pod 才會使用 {revision}。",
                list(pods),
                if pods.len() == 1 { "它" } else { "它們" }
            ),
            Why::Unschedulable { message } => format!("尚未排程。排程器的訊息：{message}"),
            Why::NotScheduledYet => "Pending：排程器還沒有把它安排到節點上。".to_string(),
            Why::WaitsForVolumes { node, claims } => format!(
                "Pending：排程器選了節點 {node}，正在等 PVC {} 在那個節點上取得磁碟區，之後才會綁定這個 Pod。",
                list(claims)
            ),
            Why::ContainerWaiting {
                node,
                container,
                reason,
                message,
            } => {
                let mut text = match reason.as_str() {
                    "ContainerCreating" => format!(
                        "在節點 {node} 上：kubelet 正在掛載磁碟區並啟動容器 {container}。"
                    ),
                    "PodInitializing" => format!(
                        "在節點 {node} 上：init 容器已經完成，容器 {container} 正在啟動。"
                    ),
                    "ErrImagePull" | "ImagePullBackOff" => format!(
                        "在節點 {node} 上：無法拉取容器 {container} 的映像檔（{reason}）；kubelet 會以越來越長的間隔重試。"
                    ),
                    "CrashLoopBackOff" => format!(
                        "在節點 {node} 上：容器 {container} 不斷結束；kubelet 每次重新啟動前都會等得更久（CrashLoopBackOff）。"
                    ),
                    _ => format!("在節點 {node} 上：容器 {container} 正在等待：{reason}。"),
                };
                if let Some(m) = message.as_deref().filter(|m| !m.is_empty()) {
                    text.push_str(m);
                }
                text
            }
            Why::InitRunning { container } => format!(
                "init 容器 {container} 會先執行；它成功結束後，應用程式的容器才會啟動。"
            ),
            Why::NotReady { containers, probe } => {
                let mut text = match containers.as_slice() {
                    [] => "處於 Running 而尚未 Ready。".to_string(),
                    _ => format!(
                        "處於 Running 而尚未 Ready：容器 {} 還沒就緒。",
                        list(containers)
                    ),
                };
                if let Some(p) = probe {
                    text.push_str(p);
                }
                text
            }
            Why::NotAvailableYet {
                left_ms,
                min_ready_seconds,
            } => format!(
                "已經 Ready，但要經過 minReadySeconds（{min_ready_seconds} 秒）才算可用（available）：還剩 {} 秒。",
                secs(*left_ms)
            ),
            Why::Terminating {
                left_ms,
                grace_seconds,
                node_down,
            } => match node_down {
                Some(node) => format!(
                    "Terminating：節點 {node} 沒有回應，無法確認容器已經停止；在節點恢復或強制刪除這個 Pod 之前，它會一直維持這樣。"
                ),
                None if *left_ms > 0 => format!(
                    "Terminating：容器已收到 SIGTERM；{grace_seconds} 秒的寬限期還剩 {} 秒，之後 kubelet 會強制結束還在執行的程序。",
                    secs(*left_ms)
                ),
                None => "Terminating：寬限期已過，kubelet 正在移除它。".to_string(),
            },
            Why::Finished { phase, reason } => match reason {
                Some(r) => format!("{phase}：它的容器不會再執行了（{r}）。"),
                None => format!("{phase}：它的容器不會再執行了。"),
            },
            Why::ClassMissing { class } => format!(
                "Pending：StorageClass \"{class}\" 不存在，所以無法為它建立磁碟區。請建立這個 StorageClass，或改用存在的 StorageClass 重新建立 PVC（kubectl get storageclass）。"
            ),
            Why::WaitsForConsumer { class, pods } => match pods.as_slice() {
                [] => format!(
                    "Pending：StorageClass {class} 的綁定模式是 WaitForFirstConsumer，要等使用這個 PVC 的 Pod 被排程之後，才會建立磁碟區。"
                ),
                _ => format!(
                    "Pending：StorageClass {class} 的綁定模式是 WaitForFirstConsumer：磁碟區會建立在排程器為 {} 選定的節點上。",
                    list(pods)
                ),
            },
            Why::Provisioning { provisioner } => {
                format!("Pending：佈建程式 {provisioner} 正在為它建立磁碟區。")
            }
            Why::NoVolume => "Pending：沒有符合的 PersistentVolume，也沒有指定 StorageClass，所以不會有磁碟區被建立。請建立相符的 PV，或設定 storageClassName。".to_string(),
            Why::ControllerSays { reason, message } => {
                format!("Pending。磁碟區控制器的訊息：{reason}: {message}")
            }
            Why::ClaimInUse { pods } => format!(
                "Terminating，但只要 {} 還在使用，就會保留（{PVC_PROTECTION}）。",
                list(pods)
            ),
            Why::ClaimKept { pod, set } => format!(
                "保留中：{pod} 已經不在了，但它的 PVC 和資料都還在。等 StatefulSet {set} 再次建立 {pod}，新的 Pod 會掛載同一個 PVC。"
            ),
            Why::ClaimLost { volume } => {
                format!("Lost：它的磁碟區 {volume} 已經不見了，資料無法復原。")
            }
            Why::VolumeReleased { claim, policy } => format!(
                "Released：它的 PVC {claim} 已被刪除。reclaimPolicy 為 {policy}，會保留磁碟區和資料，直到你自己刪除這個 PV。"
            ),
            Why::VolumeAvailable => {
                "Available：沒有任何 PVC 綁定它；符合條件的 PVC 就可以綁定。".to_string()
            }
        }
    }
}

mod ko {
    use super::{secs, PodState, Why, PVC_PROTECTION};

    fn list(names: &[String]) -> String {
        names.join(", ")
    }

    /// Whether a Korean reader says `word` ending in a consonant (받침): a Hangul syllable's own, a digit's
    /// Sino-Korean name (web-0 "영", web-1 "일"); `None` for a Latin letter, whose sound depends on the word.
    fn batchim(word: &str) -> Option<bool> {
        match word.chars().last()? {
            c @ '가'..='힣' => Some((u32::from(c) - 0xAC00) % 28 != 0),
            '0' | '1' | '3' | '6' | '7' | '8' => Some(true),
            '2' | '4' | '5' | '9' => Some(false),
            _ => None,
        }
    }

    /// `word` with the particle that fits it: `with` after a consonant (이, 은, 을), `without` after a vowel
    /// (가, 는, 를); both, as Korean software writes them ("이(가)"), when its sound is not known.
    fn josa(word: &str, with: &str, without: &str) -> String {
        match batchim(word) {
            Some(true) => format!("{word}{with}"),
            Some(false) => format!("{word}{without}"),
            None => format!("{word}{with}({without})"),
        }
    }

    /// The subject: web-0이, web-2가.
    fn i(word: &str) -> String {
        josa(word, "이", "가")
    }

    /// The topic: web-0은, web-2는.
    fn eun(word: &str) -> String {
        josa(word, "은", "는")
    }

    /// The object: web-0을, web-2를.
    fn eul(word: &str) -> String {
        josa(word, "을", "를")
    }

    pub(super) fn state(s: &PodState) -> String {
        match s {
            PodState::Missing => "아직 없습니다".to_string(),
            PodState::Pending(status) if status == "Pending" => "Pending 상태입니다".to_string(),
            PodState::Pending(status) => format!("Pending({status}) 상태입니다"),
            PodState::NotReady => "Running이지만 Ready가 아닙니다".to_string(),
            PodState::NotAvailable {
                left_ms,
                min_ready_seconds,
            } => format!(
                "Ready이지만 아직 사용 가능(available)으로 간주되지 않습니다(minReadySeconds {min_ready_seconds}, {}초 남음)",
                secs(*left_ms)
            ),
            PodState::Terminating => "Terminating 상태입니다".to_string(),
            PodState::Ready => "Running이면서 Ready입니다".to_string(),
            PodState::Finished(phase) => format!("{phase} 상태로 종료되었습니다"),
        }
    }

    pub(super) fn why(w: &Why) -> String {
        match w {
            Why::WaitsForPredecessor {
                pod,
                blocker,
                state: s,
            } => format!(
                "{} 대기 중입니다: {} {}. OrderedReady에서는 앞 Pod가 Running이면서 Ready가 되어야 다음 Pod를 만듭니다.",
                eun(pod),
                i(blocker),
                state(s)
            ),
            Why::WaitsForRecreate { pod, blocker } => format!(
                "{} 대기 중입니다: {} 완전히 멈춰서 다시 만들기 위해 삭제되는 중입니다(OrderedReady).",
                eun(pod),
                i(blocker)
            ),
            Why::WaitsForStaleClaim { pod, claims } => format!(
                "{} 대기 중입니다: PVC {} 아직 이전 {pod}의 것이며, 그 Pod와 함께 삭제됩니다(whenScaled: Delete).",
                eun(pod),
                eun(&list(claims))
            ),
            Why::SetDeleting { set } => format!(
                "StatefulSet {set} 삭제 중: 컨트롤러는 더 이상 Pod를 만들거나 교체하지 않습니다."
            ),
            Why::ScaleDownAfterTerminating { pod, blocker } => format!(
                "{blocker}의 종료를 기다린 뒤 다음으로 {} 제거합니다. OrderedReady는 서수가 가장 큰 Pod부터 하나씩 스케일 다운합니다.",
                eul(pod)
            ),
            Why::ScaleDownWaitsForHealthy {
                pod,
                blocker,
                state: s,
            } => format!(
                "다음으로 제거할 Pod는 {pod}입니다. 그런데 {} {}. OrderedReady는 다른 Pod가 모두 Running이면서 Ready일 때만 Pod를 제거합니다.",
                i(blocker),
                state(s)
            ),
            Why::UpdateNext {
                pod,
                revision,
                blocker,
                max_unavailable,
            } => match blocker {
                Some((b, PodState::Missing)) => format!(
                    "{revision} 리비전으로 롤링 업데이트: {} 만들어지고 Ready가 되면 다음으로 {} 교체합니다. 동시에 사용할 수 없는 Pod는 최대 {max_unavailable}개입니다(maxUnavailable).",
                    i(b),
                    eul(pod)
                ),
                Some((b, s)) => format!(
                    "{revision} 리비전으로 롤링 업데이트: {} Running이면서 Ready가 되면 다음으로 {} 교체합니다. 지금 {} {}. 동시에 사용할 수 없는 Pod는 최대 {max_unavailable}개입니다(maxUnavailable).",
                    i(b),
                    eul(pod),
                    eun(b),
                    state(s)
                ),
                None => format!(
                    "{revision} 리비전으로 롤링 업데이트: 다음으로 {} 교체합니다.",
                    eul(pod)
                ),
            },
            Why::PartitionKeeps {
                partition,
                kept,
                revision,
            } => format!(
                "partition: {partition}: {} 이전 리비전을 유지합니다. 새 리비전({revision})으로 바뀌는 것은 서수 {partition} 이상인 Pod뿐입니다. 계속하려면 partition 값을 낮추세요.",
                eun(&list(kept))
            ),
            Why::OnDeleteWaits { pods, revision } => format!(
                "updateStrategy OnDelete: {} 직접 삭제하기 전까지 이전 리비전으로 실행됩니다. 다시 만들어진 Pod는 새 리비전({revision})을 사용합니다.",
                eun(&list(pods))
            ),
            Why::Unschedulable { message } => {
                format!("스케줄링되지 않았습니다. 스케줄러 메시지: {message}")
            }
            Why::NotScheduledYet => {
                "Pending: 스케줄러가 아직 노드에 배치하지 않았습니다.".to_string()
            }
            Why::WaitsForVolumes { node, claims } => format!(
                "Pending: 스케줄러가 {node} 노드를 골랐고, Pod를 바인딩하기 전에 그 노드에 PVC {}의 볼륨이 만들어지기를 기다립니다.",
                list(claims)
            ),
            Why::ContainerWaiting {
                node,
                container,
                reason,
                message,
            } => {
                let mut text = match reason.as_str() {
                    "ContainerCreating" => format!(
                        "{node} 노드: kubelet이 볼륨을 마운트하고 {container} 컨테이너를 시작하는 중입니다."
                    ),
                    "PodInitializing" => format!(
                        "{node} 노드: init 컨테이너가 끝났고 {container} 컨테이너가 시작되는 중입니다."
                    ),
                    "ErrImagePull" | "ImagePullBackOff" => format!(
                        "{node} 노드: {container} 컨테이너의 이미지를 가져올 수 없습니다({reason}). kubelet은 간격을 점점 늘려 가며 다시 시도합니다."
                    ),
                    "CrashLoopBackOff" => format!(
                        "{node} 노드: {container} 컨테이너가 계속 종료됩니다. kubelet은 재시작할 때마다 더 오래 기다립니다(CrashLoopBackOff)."
                    ),
                    _ => format!("{node} 노드: {container} 컨테이너가 대기 중입니다: {reason}."),
                };
                if let Some(m) = message.as_deref().filter(|m| !m.is_empty()) {
                    text.push(' ');
                    text.push_str(m);
                }
                text
            }
            Why::InitRunning { container } => format!(
                "{container} init 컨테이너가 먼저 실행됩니다. 이 컨테이너가 성공해야 앱 컨테이너가 시작됩니다."
            ),
            Why::NotReady { containers, probe } => {
                let mut text = match containers.as_slice() {
                    [] => "Running이지만 Ready가 아닙니다.".to_string(),
                    _ => format!(
                        "Running이지만 Ready가 아닙니다: {} 컨테이너가 준비되지 않았습니다.",
                        list(containers)
                    ),
                };
                if let Some(p) = probe {
                    text.push(' ');
                    text.push_str(p);
                }
                text
            }
            Why::NotAvailableYet {
                left_ms,
                min_ready_seconds,
            } => format!(
                "Ready이지만 minReadySeconds({min_ready_seconds}초)가 지나야 사용 가능(available)으로 간주됩니다. {}초 남았습니다.",
                secs(*left_ms)
            ),
            Why::Terminating {
                left_ms,
                grace_seconds,
                node_down,
            } => match node_down {
                Some(node) => format!(
                    "Terminating: {node} 노드가 응답하지 않아 컨테이너가 멈췄는지 확인할 수 없습니다. 노드가 돌아오거나 Pod를 강제로 삭제할 때까지 이 상태로 남습니다."
                ),
                None if *left_ms > 0 => format!(
                    "Terminating: 컨테이너가 SIGTERM을 받았습니다. 유예 기간 {grace_seconds}초 중 {}초 남았으며, 그 뒤에는 kubelet이 아직 실행 중인 것을 강제로 종료합니다.",
                    secs(*left_ms)
                ),
                None => "Terminating: 유예 기간이 끝나 kubelet이 Pod를 정리하는 중입니다.".to_string(),
            },
            Why::Finished { phase, reason } => match reason {
                Some(r) => format!("{phase}: 컨테이너가 다시 실행되지 않습니다({r})."),
                None => format!("{phase}: 컨테이너가 다시 실행되지 않습니다."),
            },
            Why::ClassMissing { class } => format!(
                "Pending: 이름이 \"{class}\"인 StorageClass가 없어서 볼륨을 만들 수 없습니다. 그 StorageClass를 만들거나, 있는 StorageClass로 PVC를 다시 만드세요(kubectl get storageclass)."
            ),
            Why::WaitsForConsumer { class, pods } => match pods.as_slice() {
                [] => format!(
                    "Pending: StorageClass {class}의 바인딩 모드가 WaitForFirstConsumer라서, 이 PVC를 사용하는 Pod가 스케줄링된 뒤에야 볼륨이 만들어집니다."
                ),
                _ => format!(
                    "Pending: StorageClass {class}의 바인딩 모드가 WaitForFirstConsumer입니다. 볼륨은 스케줄러가 {}에 배정하는 노드에 만들어집니다.",
                    list(pods)
                ),
            },
            Why::Provisioning { provisioner } => {
                format!("Pending: {provisioner} 프로비저너가 볼륨을 만드는 중입니다.")
            }
            Why::NoVolume => "Pending: 조건에 맞는 PersistentVolume이 없고 StorageClass도 지정되지 않아 볼륨이 만들어지지 않습니다. 조건에 맞는 PV를 만들거나 storageClassName을 설정하세요.".to_string(),
            Why::ControllerSays { reason, message } => {
                format!("Pending. 볼륨 컨트롤러 메시지: {reason}: {message}")
            }
            Why::ClaimInUse { pods } => format!(
                "Terminating 상태지만 {} 사용하는 동안은 남아 있습니다({PVC_PROTECTION}).",
                i(&list(pods))
            ),
            Why::ClaimKept { pod, set } => format!(
                "유지됨: {} 사라졌지만 PVC와 데이터는 남아 있습니다. StatefulSet {set}에 다시 {} 생기면 새 Pod가 이 PVC를 그대로 마운트합니다.",
                eun(pod),
                i(pod)
            ),
            Why::ClaimLost { volume } => format!(
                "Lost: 연결된 볼륨({volume})이 사라져 데이터를 되살릴 수 없습니다."
            ),
            Why::VolumeReleased { claim, policy } => format!(
                "Released: 연결된 PVC({claim})가 삭제되었습니다. reclaimPolicy가 {policy}이므로 PV를 직접 삭제할 때까지 볼륨과 데이터가 남아 있습니다."
            ),
            Why::VolumeAvailable => {
                "Available: 바인딩된 PVC가 없습니다. 조건에 맞는 PVC가 있으면 이 볼륨에 바인딩됩니다.".to_string()
            }
        }
    }
}
