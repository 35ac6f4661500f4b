<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Vitrine</name>
    <message>
      <location filename="../../app/state/generation.py" line="98" />
      <source>This picture was made with the model “%1”%2, which is not installed; install that model to reopen it.</source>
      <translation>这张图片是用模型“%1”%2生成的，但该模型尚未安装；请先安装该模型再重新打开。</translation>
    </message>
    <message>
      <location filename="../../app/state/generation.py" line="105" />
      <source>Please describe the product first.</source>
      <translation>请先描述商品。</translation>
    </message>
    <message>
      <location filename="../../app/state/generation.py" line="130" />
      <source>The Sharp upscaler is not installed, so these pictures were enlarged with Faithful.</source>
      <translation>“清晰”放大模型未安装，这些图片改用“忠实原图”放大。</translation>
    </message>
    <message>
      <location filename="../../app/state/generation.py" line="133" />
      <source>Stopped: %1 of %2 pictures were made and kept in the gallery.</source>
      <translation>已停止：%2 张中已画好 %1 张，并保留在图库中。</translation>
    </message>
    <message>
      <location filename="../../app/state/generation.py" line="97" />
      <source>version %1</source>
      <translation>版本 %1</translation>
    </message>
    <message>
      <location filename="../../app/state/models_model.py" line="79" />
      <source>Vitrine could not start its picture engine: %1</source>
      <translation>Vitrine 无法启动绘图引擎：%1</translation>
    </message>
    <message>
      <location filename="../../app/state/models_model.py" line="74" />
      <source>No picture model is installed. Put a model folder into the models folder (or train one with “python -m app train”) and restart Vitrine.</source>
      <translation>尚未安装绘图模型。请把模型文件夹放进 models 文件夹（或用“python -m app train”训练一个），然后重新启动 Vitrine。</translation>
    </message>
    <message>
      <location filename="../../app/state/settings_model.py" line="69" />
      <source>Settings could not be saved: %1</source>
      <translation>无法保存设置：%1</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="30" />
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="70" />
      <source>Low: typical, safe pictures. High: more variety and surprises.</source>
      <translation>低：常规、稳妥的图片。高：更多变化和惊喜。</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="85" />
      <source>Sharp</source>
      <translation>清晰</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="86" />
      <source>Faithful</source>
      <translation>忠实原图</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="97" />
      <source>Generate</source>
      <translation>生成</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="98" />
      <source>Paint pictures for the description (Ctrl+Enter)</source>
      <translation>按描述生成图片（Ctrl+Enter）</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="100" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="29" />
      <source>Which picture model paints</source>
      <translation>使用哪个绘图模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="33" />
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="50" />
      <source>How many pictures to paint</source>
      <translation>要生成多少张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="52" />
      <source>Pictures</source>
      <translation>张数</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="55" />
      <source>The same seed and description give the same pictures</source>
      <translation>相同的种子和描述会得到相同的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="60" />
      <source>New random seed</source>
      <translation>换一个随机种子</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="62" />
      <source>Seed</source>
      <translation>种子</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="73" />
      <source>Creativity</source>
      <translation>创意度</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="76" />
      <source>Picture size: larger sizes are sharpened by the learned upscaler</source>
      <translation>图片尺寸：更大的尺寸由学习型放大模型锐化</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="83" />
      <source>How larger sizes are enlarged: Sharp shows crisp detail like a photo; Faithful stays closest to the painted picture</source>
      <translation>较大尺寸的放大方式：“清晰”像照片一样细节清楚；“忠实原图”最贴近生成的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="91" />
      <source>Size</source>
      <translation>尺寸</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="111" />
      <source>Seed locked: Generate repeats the same pictures</source>
      <translation>种子已锁定：每次生成相同的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="112" />
      <source>Seed unlocked: every Generate paints new pictures</source>
      <translation>种子未锁定：每次生成新的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="132" />
      <source>No model installed</source>
      <translation>未安装模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="44" />
      <source>Remove</source>
      <translation>删除</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="52" />
      <source>Remove damaged model</source>
      <translation>删除损坏的模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="53" />
      <source>Delete the damaged model %1? This cannot be undone.</source>
      <translation>要删除损坏的模型 %1 吗？此操作无法撤销。</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="44" />
      <source>Delete this damaged model from your models</source>
      <translation>从您的模型中删除这个损坏的模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="72" />
      <source>Let Vitrine decide</source>
      <translation>交给 Vitrine 判断</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="83" />
      <source>Product</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="83" />
      <source>Colour</source>
      <translation>颜色</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="83" />
      <source>For</source>
      <translation>适用</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="128" />
      <source>Edit templates</source>
      <translation>编辑模板</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="130" />
      <source>One template per line. {colour}, {category} and {gender} are filled in from the chips; other {words} stay for you to replace.</source>
      <translation>每行一个模板。{colour}、{category} 和 {gender} 会按识别结果自动填写；其他 {词语} 保留，由您替换。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="178" />
      <source>e.g. navy blue cotton shirt for men — 男士深蓝色棉衬衫</source>
      <translation>例如：男士深蓝色棉衬衫 — navy blue cotton shirt for men</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="181" />
      <source>Describe the product in English or Chinese. Ctrl+Enter paints pictures.</source>
      <translation>用中文或英文描述商品。按 Ctrl+Enter 生成图片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="41" />
      <source>Vitrine understood (click to correct):</source>
      <translation>Vitrine 的理解（点击可更正）：</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="113" />
      <source>Vitrine does not know this product yet, so it would paint something unrelated. Pick the closest one, or describe it with another word:</source>
      <translation>Vitrine 还不认识这种商品，画出来会是不相干的东西。请选择最接近的一个，或换个说法描述：</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="164" />
      <source>DESCRIBE YOUR PRODUCT</source>
      <translation>描述您的商品</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="166" />
      <source>Earlier descriptions</source>
      <translation>以前的描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="170" />
      <source>Templates</source>
      <translation>模板</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="89" />
      <source>Type a description to see how Vitrine reads it.</source>
      <translation>输入描述，看看 Vitrine 如何理解。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="95" />
      <source>Not sure (best guess %1, %2%). Click to choose.</source>
      <translation>不确定（最可能是 %1，%2%）。点击选择。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="92" />
      <source>any</source>
      <translation>不限</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="196" />
      <source>No earlier descriptions yet</source>
      <translation>还没有以前的描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="209" />
      <source>Edit templates…</source>
      <translation>编辑模板…</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="102" />
      <source>Read from your words “%1”. Click to correct.</source>
      <translation>根据您写的“%1”识别。点击可更正。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="103" />
      <source>Guessed from the meaning of your description. Click to correct.</source>
      <translation>根据描述的含义推测。点击可更正。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="104" />
      <source>Chosen by you. Click to change.</source>
      <translation>由您选择。点击可更改。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="99" />
      <source>your choice</source>
      <translation>您的选择</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="179" />
      <source>Started from the photo %1</source>
      <translation>从照片 %1 开始</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="180" />
      <source>Found from a photo</source>
      <translation>从照片找到</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="181" />
      <source>Seed %1, picture %2</source>
      <translation>种子 %1，第 %2 张</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="58" />
      <source>Empty trash</source>
      <translation>清空回收站</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="61" />
      <source>Delete for good</source>
      <translation>永久删除</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="96" />
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="97" />
      <source>No picture is selected. Export all %1 pictures in the gallery?</source>
      <translation>没有选中图片。要导出图库中的全部 %1 张图片吗？</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="99" />
      <source>Export all %1</source>
      <translation>导出全部 %1 张</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="49" />
      <source>There is nothing to bring back: the trash is empty.</source>
      <translation>没有可恢复的图片：回收站是空的。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="56" />
      <source>The trash is empty.</source>
      <translation>回收站是空的。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="59" />
      <source>Delete the %1 picture(s) in the trash for good? This cannot be undone.</source>
      <translation>永久删除回收站中的 %1 张图片？此操作无法撤销。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="40" />
      <source>%1 picture(s) moved to the trash. Press Ctrl+Z to bring them back.</source>
      <translation>已将 %1 张图片移到回收站。按 Ctrl+Z 可恢复。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="47" />
      <source>%1 picture(s) are back in the gallery.</source>
      <translation>%1 张图片已恢复到图库。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery_actions.py" line="72" />
      <source>%1 picture(s) were deleted for good.</source>
      <translation>已永久删除 %1 张图片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="99" />
      <source>Your pictures will appear here. Describe a product on the left and press Generate (Ctrl+Enter).</source>
      <translation>生成的图片会显示在这里。在左侧描述商品，然后点击“生成”（Ctrl+Enter）。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="181" />
      <source>Starting the picture engine…</source>
      <translation>正在启动绘图引擎…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="192" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="193" />
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="196" />
      <source>Open picture…</source>
      <translation>打开图片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="197" />
      <source>Reopen a picture exported by Vitrine and paint it again</source>
      <translation>打开 Vitrine 导出的图片并重新生成</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="199" />
      <source>Start from photo…</source>
      <translation>从照片开始…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="200" />
      <source>Find a photo of your product in the model and paint variations of it</source>
      <translation>在模型中找到商品照片的对应图片，并生成相似变体</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="206" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="208" />
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="209" />
      <source>Undo delete</source>
      <translation>撤销删除</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="210" />
      <source>Bring the last deleted pictures back from the trash</source>
      <translation>把最近删除的图片从回收站恢复</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="212" />
      <source>Empty trash…</source>
      <translation>清空回收站…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="217" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="225" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="233" />
      <source>&amp;Tools</source>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="234" />
      <source>Teach my shop's look…</source>
      <translation>学习我店铺的风格…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="280" />
      <source>No model</source>
      <translation>无模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="289" />
      <source>Model: %1 (%2 px)</source>
      <translation>模型：%1（%2 像素）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="293" />
      <source>Last generation: %1 s</source>
      <translation>上次生成：%1 秒</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="91" />
      <source>Dismiss</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="106" />
      <source>Zoom</source>
      <translation>缩放</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="113" />
      <source>GALLERY</source>
      <translation>图库</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="115" />
      <source>Mark or unmark as favourite (F)</source>
      <translation>收藏或取消收藏（F）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="117" />
      <source>Compare two pictures side by side</source>
      <translation>并排对比两张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="120" />
      <source>Move the selected pictures to the trash (Del; Ctrl+Z brings them back)</source>
      <translation>把选中的图片移到回收站（Del；按 Ctrl+Z 恢复）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="124" />
      <source>Thumbnail size</source>
      <translation>缩略图大小</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="219" />
      <source>Light theme</source>
      <translation>浅色主题</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="219" />
      <source>Dark theme</source>
      <translation>深色主题</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="227" />
      <source>Follow the system</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="241" />
      <source>Not available in this version</source>
      <translation>此版本不可用</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="254" />
      <source>Empty trash (%1)…</source>
      <translation>清空回收站（%1 张）…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="285" />
      <source>Device: %1</source>
      <translation>设备：%1</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="307" />
      <source>The language changes the next time Vitrine starts.</source>
      <translation>语言将在下次启动 Vitrine 时更改。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="174" />
      <source>Painting…</source>
      <translation>正在生成…</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="51" />
      <source>Select a picture in the gallery.</source>
      <translation>请在图库中选择一张图片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="56" />
      <source>Variations</source>
      <translation>相似变体</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="59" />
      <source>Keep this version</source>
      <translation>保留此版本</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="62" />
      <source>Repaint as described</source>
      <translation>按描述重绘</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="94" />
      <source>Seed %1 · picture %2 · creativity %3</source>
      <translation>种子 %1 · 第 %2 张 · 创意度 %3</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="96" />
      <source>Your own photo, shown as it is (sliders do not apply to it)</source>
      <translation>您自己的照片，按原样显示（滑块不适用于它）</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="111" />
      <source>none moved</source>
      <translation>未调整</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="114" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="116" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="117" />
      <source>Picture</source>
      <translation>图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="119" />
      <source>Sliders</source>
      <translation>滑块</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="120" />
      <source>Your corrections</source>
      <translation>您的更正</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="121" />
      <source>Variation of</source>
      <translation>变体来源</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="134" />
      <source>Compare</source>
      <translation>对比</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="49" />
      <source>SELECTED PICTURE</source>
      <translation>选中的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="57" />
      <source>Paint close neighbours of this picture</source>
      <translation>生成与此图相近的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="60" />
      <source>Add the picture as the sliders show it to the gallery</source>
      <translation>把滑块调整后的图片加入图库</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="63" />
      <source>Paint this picture again with the description typed above, for example in another colour</source>
      <translation>按上方输入的描述重新绘制这张图片，例如换一种颜色</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="117" />
      <source>seed %1, picture %2</source>
      <translation>种子 %1，第 %2 张</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="125" />
      <source>%1 px</source>
      <translation>%1 像素</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="144" />
      <source>Made with the same settings</source>
      <translation>用相同的设置画出</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="86" />
      <source>%1 pictures selected</source>
      <translation>已选择 %1 张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="121" />
      <source>seed %1 (distance %2)</source>
      <translation>种子 %1（差异 %2）</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="122" />
      <source>not a variation</source>
      <translation>不是变体</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="123" />
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="123" />
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../app/ui/preview.py" line="124" />
      <source>the default model</source>
      <translation>默认模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="29" />
      <source>Cancelled; no model was saved. Your existing models are unchanged.</source>
      <translation>已取消；没有保存模型。现有模型未作任何改动。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="35" />
      <source>Finding the photo in the model…</source>
      <translation>正在模型中查找这张照片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="40" />
      <source>Exporting picture %1 of %2…</source>
      <translation>正在导出第 %1 张，共 %2 张…</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="27" />
      <source>Cancelled at step %1 of %2; no model was saved. Press “Resume training” to carry on.</source>
      <translation>已在第 %1 步（共 %2 步）取消；没有保存模型。点击“继续训练”即可接着训练。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="34" />
      <source>The photo reads as “%1”; finding it in the model…</source>
      <translation>照片被识别为“%1”；正在模型中查找…</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="44" />
      <source>Carried on from step %1</source>
      <translation>从第 %1 步继续</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="45" />
      <source>Training the base model: step %1</source>
      <translation>正在训练基础模型：第 %1 步</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="46" />
      <source>A calculation went wrong; Vitrine went back to the last good state.</source>
      <translation>计算出了问题；Vitrine 已退回到上一个正常状态。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="47" />
      <source>The pictures started to look all alike; Vitrine went back to the last good state.</source>
      <translation>画出的图片开始变得千篇一律；Vitrine 已退回到上一个正常状态。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="49" />
      <source>Training finished.</source>
      <translation>训练完成。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="50" />
      <source>Skipped %1: %2</source>
      <translation>已跳过 %1：%2</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="52" />
      <source>Comparing the base model with your photos…</source>
      <translation>正在将基础模型与您的照片进行比较…</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="53" />
      <source>Learning your shop's look: step %1 of %2</source>
      <translation>正在学习您店铺的风格：第 %1 步，共 %2 步</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="58" />
      <source>Finished: your model “%1” is saved.</source>
      <translation>完成：您的模型“%1”已保存。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="59" />
      <source>Training the upscaler: step %1 of %2</source>
      <translation>正在训练放大模型：第 %1 步，共 %2 步</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="60" />
      <source>The upscaler is trained.</source>
      <translation>放大模型训练完成。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="61" />
      <source>Preparing the photo…</source>
      <translation>正在准备照片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="63" />
      <source>Finding the photo: step %1 of %2</source>
      <translation>正在查找照片：第 %1 步，共 %2 步</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="64" />
      <source>Found the photo in the model.</source>
      <translation>已在模型中找到这张照片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="65" />
      <source>Start from photo was cancelled.</source>
      <translation>已取消“从照片开始”。</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="66" />
      <source>%1 of %2 pictures painted</source>
      <translation>已画好 %1 张，共 %2 张</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="67" />
      <source>%1 pictures painted</source>
      <translation>已画好 %1 张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="68" />
      <source>Stopped after %1 pictures</source>
      <translation>画完 %1 张图片后已停止</translation>
    </message>
    <message>
      <location filename="../../app/ui/progress_text.py" line="70" />
      <source>Exported %1 pictures</source>
      <translation>已导出 %1 张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="26" />
      <source>Reset all</source>
      <translation>全部重置</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="52" />
      <source>Drag right for more %1, left for less; the middle is the picture as it was painted.</source>
      <translation>向右拖动%1更强，向左更弱；中间是原画的样子。</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="24" />
      <source>ADJUST</source>
      <translation>调整</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="76" />
      <source>This model has no sliders yet.</source>
      <translation>此模型还没有调节滑块。</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="59" />
      <source>Back to the middle</source>
      <translation>回到中间</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="78" />
      <source>Select one picture to adjust it.</source>
      <translation>选择一张图片即可调整。</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="24" />
      <source>Open picture</source>
      <translation>打开图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="25" />
      <source>Vitrine pictures (*.png *.jpg *.jpeg *.webp *.json)</source>
      <translation>Vitrine 图片 (*.png *.jpg *.jpeg *.webp *.json)</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="30" />
      <source>Start from photo</source>
      <translation>从照片开始</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="31" />
      <source>Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</source>
      <translation>照片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="36" />
      <source>Finding %1 in the model…</source>
      <translation>正在模型中查找 %1…</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="78" />
      <source>Your photo, the closest picture Vitrine can paint and its variations are in the gallery. Edit them with the sliders, Variations, or another description and “Repaint as described”; the description is Vitrine's guess.</source>
      <translation>您的照片、Vitrine 能画出的最接近的图片及其相似变体已加入图库。可用滑块、“相似变体”，或输入新的描述后点“按描述重绘”来编辑它们；描述是 Vitrine 的推测。</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="123" />
      <source>Your new model “%1” is ready and selected.</source>
      <translation>新模型“%1”已就绪并已选用。</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="65" />
      <source>Not a picture or a Vitrine file: %1</source>
      <translation>不是图片或 Vitrine 文件：%1</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="98" />
      <source>Teach my shop's look</source>
      <translation>学习我店铺的风格</translation>
    </message>
    <message>
      <location filename="../../app/ui/window_files.py" line="60" />
      <source>These photos were added to “Teach my shop's look”: give the new model a name and press Start to teach Vitrine your shop's look.</source>
      <translation>这些照片已加入“学习我店铺的风格”：为新模型起个名字，然后按“开始”，让 Vitrine 学习您店铺的风格。</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="31" />
      <source>Export pictures</source>
      <translation>导出图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="58" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="70" />
      <source>Fields: {sku} {name} {index} {date} {seed} {colour} {category} {model}</source>
      <translation>字段：{sku} 货号，{name} 名称，{index} 序号，{date} 日期，{seed} 种子，{colour} 颜色，{category} 品类，{model} 模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="85" />
      <source>Custom size</source>
      <translation>自定义尺寸</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="90" />
      <source>Width and height of a custom-size picture</source>
      <translation>自定义尺寸图片的宽和高</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="93" />
      <source>Sharp</source>
      <translation>清晰</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="94" />
      <source>Faithful</source>
      <translation>忠实原图</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="95" />
      <source>How small pictures are enlarged: Sharp shows crisp detail like a photo; Faithful stays closest to the painted picture</source>
      <translation>小图片的放大方式：“清晰”像照片一样细节清楚；“忠实原图”最贴近生成的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="97" />
      <source>Pure white background</source>
      <translation>纯白背景</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="98" />
      <source>Write a .json file beside each picture</source>
      <translation>在每张图片旁写入一个 .json 文件</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="101" />
      <source>Add -1, -2… to the name</source>
      <translation>在文件名后加 -1、-2…</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="102" />
      <source>Ask before replacing</source>
      <translation>替换前询问</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="112" />
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="114" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="115" />
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="117" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="132" />
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="133" />
      <source>Subfolder</source>
      <translation>子文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="134" />
      <source>File names</source>
      <translation>文件名</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="136" />
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="137" />
      <source>Size</source>
      <translation>尺寸</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="140" />
      <source>If a file exists</source>
      <translation>文件已存在时</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="176" />
      <source>.</source>
      <translation>。</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="254" />
      <source>Choose the export folder</source>
      <translation>选择导出文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="305" />
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="346" />
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="348" />
      <source>OK</source>
      <translation>确定</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="60" />
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="60" />
      <source>By SKU</source>
      <translation>按货号</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="60" />
      <source>By product name</source>
      <translation>按商品名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="129" />
      <source>Quality</source>
      <translation>质量</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/ui/export_dialog.py" line="173" />
      <source>%n picture(s) will be exported</source>
      <translation>
        <numerusform>将导出 %n 张图片</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="183" />
      <source>Product</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="183" />
      <source>Pictures</source>
      <translation>图片数</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="183" />
      <source>Product name</source>
      <translation>商品名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="183" />
      <source>SKU</source>
      <translation>货号</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="188" />
      <source>Used for {name} in the file names; empty: the description</source>
      <translation>用于文件名中的 {name}；留空则用描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="279" />
      <source>Replace files?</source>
      <translation>替换文件？</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="284" />
      <source>Keep both</source>
      <translation>两者都保留</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="285" />
      <source>Replace</source>
      <translation>替换</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/ui/export_dialog.py" line="175" />
      <source>, of %n product(s)</source>
      <translation>
        <numerusform>，共 %n 件商品</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="189" />
      <source>e.g. SHIRT-001</source>
      <translation>例如 SHIRT-001</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="236" />
      <source> … and {0} more</source>
      <translation> …… 另有 {0} 个</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="325" />
      <source>Exported {0} picture(s) to {1}</source>
      <translation>已将 {0} 张图片导出到 {1}</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="187" />
      <source>the description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="280" />
      <source>{0} file(s) already exist in this folder, e.g. {1}. Replace them?</source>
      <translation>此文件夹中已有 {0} 个同名文件，例如 {1}。要替换吗？</translation>
    </message>
    <message>
      <source>Taobao / Tmall (800×800, white background)</source>
      <translation>淘宝 / 天猫（800×800，白色背景）</translation>
    </message>
    <message>
      <source>JD.com (800×800, white background)</source>
      <translation>京东（800×800，白色背景）</translation>
    </message>
    <message>
      <source>Amazon (1600×1600, white background, product fills 85%)</source>
      <translation>亚马逊（1600×1600，白色背景，商品占 85%）</translation>
    </message>
    <message>
      <source>Shopify (2048×2048, white background)</source>
      <translation>Shopify（2048×2048，白色背景）</translation>
    </message>
    <message>
      <source>The custom size must be between %1 and %2 pixels.</source>
      <translation>自定义尺寸必须在 %1 到 %2 像素之间。</translation>
    </message>
    <message>
      <source>The quality must be between 1 and 100.</source>
      <translation>质量必须在 1 到 100 之间。</translation>
    </message>
    <message>
      <source>The subfolder must be by SKU, by product name or none.</source>
      <translation>子文件夹只能按 SKU、按商品名称或不建。</translation>
    </message>
    <message>
      <source>The overwrite policy must be 'suffix' or 'ask'.</source>
      <translation>重名时只能“加编号”或“先询问”。</translation>
    </message>
    <message>
      <source>Enlarge with Sharp or Faithful.</source>
      <translation>请选择“清晰”或“忠实原图”放大。</translation>
    </message>
    <message>
      <source>The file-name template has an unmatched { or }; write {{ or }} for a brace.</source>
      <translation>文件名模板中有不成对的 { 或 }；要写花括号本身请用 {{ 或 }}。</translation>
    </message>
    <message>
      <source>The file-name template has an unknown field %1; use %2.</source>
      <translation>文件名模板中有未知字段 %1；可用：%2。</translation>
    </message>
    <message>
      <source>Only {index} and {seed} take a width, like {index:03} (not %1).</source>
      <translation>只有 {index} 和 {seed} 可以指定位数，例如 {index:03}（不能用 %1）。</translation>
    </message>
    <message>
      <source>The file-name template would write outside the chosen folder.</source>
      <translation>此文件名模板会写到所选文件夹之外。</translation>
    </message>
    <message>
      <source>Could not write to %1 (%2); nothing was exported.</source>
      <translation>无法写入 %1（%2）；没有导出任何文件。</translation>
    </message>
    <message>
      <source>The disk is full: nothing was exported to %1. Free some space and try again.</source>
      <translation>磁盘已满：没有向 %1 导出任何文件。请腾出空间后重试。</translation>
    </message>
    <message>
      <source>The folder %1 is read-only; nothing was exported. Choose another folder.</source>
      <translation>文件夹 %1 是只读的；没有导出任何文件。请换一个文件夹。</translation>
    </message>
    <message>
      <source>Choose a folder to export to.</source>
      <translation>请选择要导出到的文件夹。</translation>
    </message>
    <message>
      <source>The folder %1 does not exist; choose another one or create it first.</source>
      <translation>文件夹 %1 不存在；请换一个，或先创建它。</translation>
    </message>
    <message>
      <source>%1 is a file, not a folder.</source>
      <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
      <source>The folder %1 is read-only; choose another one.</source>
      <translation>文件夹 %1 是只读的；请换一个。</translation>
    </message>
    <message>
      <source>The export settings recorded in this file are out of range.</source>
      <translation>此文件记录的导出设置超出范围。</translation>
    </message>
    <message>
      <source>The %1 upscaler that enlarged this file is not installed, so it cannot be made again exactly.</source>
      <translation>放大此文件所用的 %1 放大模型未安装，无法完全一样地重新生成。</translation>
    </message>
    <message>
      <source>There are no pictures to export.</source>
      <translation>没有可导出的图片。</translation>
    </message>
    <message>
      <source>The export settings recorded in this file are damaged.</source>
      <translation>此文件记录的导出设置已损坏。</translation>
    </message>
    <message>
      <source>Export cancelled; nothing was written.</source>
      <translation>已取消导出；没有写入任何文件。</translation>
    </message>
    <message>
      <source>The export failed unexpectedly (%1); nothing was written.</source>
      <translation>导出意外失败（%1）；没有写入任何文件。</translation>
    </message>
  </context>
  <context>
    <name>TrainingPanel</name>
    <message>
      <location filename="../../app/ui/training_panel.py" line="102" />
      <source>Drop photos or folders of your products here, or choose them.</source>
      <translation>把商品照片或文件夹拖到这里，或点击选择。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="103" />
      <source>Choose photos…</source>
      <translation>选择照片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="113" />
      <source>Not used:</source>
      <translation>未使用：</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="115" />
      <source>e.g. My shop's shoes</source>
      <translation>例如 我店里的鞋子</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="117" />
      <source>One description for all photos, e.g. red leather heels</source>
      <translation>所有照片共用的描述，例如 红色皮革高跟鞋</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="119" />
      <source>Description of the selected photo (optional)</source>
      <translation>所选照片的描述（可选）</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="128" />
      <source>Start</source>
      <translation>开始</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="129" />
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="130" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="131" />
      <source>Stop and keep best</source>
      <translation>停止并保留最佳结果</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="132" />
      <source>Resume training</source>
      <translation>继续训练</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="154" />
      <source>Model name</source>
      <translation>模型名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="155" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="156" />
      <source>This photo</source>
      <translation>这张照片</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="157" />
      <source>Training time</source>
      <translation>训练时长</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="193" />
      <source>Choose product photos</source>
      <translation>选择商品照片</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="194" />
      <source>Pictures (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</source>
      <translation>图片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/ui/training_panel.py" line="200" />
      <source>Reading %n photo(s)…</source>
      <translation>
        <numerusform>正在读取 %n 张照片…</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="267" />
      <source>Loading the model and your photos…</source>
      <translation>正在载入模型和您的照片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="251" />
      <source>Add some photos of your products first.</source>
      <translation>请先添加一些商品照片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="254" />
      <source>Give the new model a name.</source>
      <translation>请为新模型起个名字。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="278" />
      <source>Continue</source>
      <translation>继续</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="279" />
      <source>Paused.</source>
      <translation>已暂停。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="284" />
      <source>Cancelling… your existing models stay as they are.</source>
      <translation>正在取消…现有模型保持不变。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="289" />
      <source>Stopping and saving the best model so far…</source>
      <translation>正在停止并保存目前最好的模型…</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="311" />
      <source>Finished.</source>
      <translation>已完成。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="311" />
      <source>Stopped.</source>
      <translation>已停止。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="321" />
      <source>Training stopped: %1. Your existing models are unchanged.</source>
      <translation>训练已停止：%1。现有模型未作任何改动。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="227" />
      <source>Description of this photo (default: %1)</source>
      <translation>这张照片的描述（默认：%1）</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="216" />
      <source>%1 photos ready, %2 not used.</source>
      <translation>%1 张照片可用，%2 张未使用。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="21" />
      <source>not a picture</source>
      <translation>不是图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="21" />
      <source>cannot be opened</source>
      <translation>无法打开</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="22" />
      <source>too large for Vitrine</source>
      <translation>文件太大，Vitrine 无法使用</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="22" />
      <source>the file is damaged</source>
      <translation>文件已损坏</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="23" />
      <source>a hidden file (skipped)</source>
      <translation>隐藏文件（已跳过）</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="23" />
      <source>too small to learn from</source>
      <translation>太小，无法用来学习</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="24" />
      <source>blank or almost one colour: there is no product to learn from</source>
      <translation>空白或几乎只有一种颜色：没有可以学习的商品</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="49" />
      <source>less than a minute left</source>
      <translation>还剩不到 1 分钟</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="50" />
      <source>about %1 min left</source>
      <translation>大约还剩 %1 分钟</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="20" />
      <source>the same photo as %1</source>
      <translation>与 %1 是同一张照片</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="44" />
      <source>%1: %2 steps (about %3 min on a two-core computer; measured on the first run)</source>
      <translation>%1：%2 步（在双核电脑上约 %3 分钟；首次训练时测量本机速度）</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_text.py" line="42" />
      <source>%1: %2 steps, about %3 min on this computer</source>
      <translation>%1：%2 步，在这台电脑上大约 %3 分钟</translation>
    </message>
    <message>
      <source>Quick</source>
      <translation>快速</translation>
    </message>
    <message>
      <source>Standard</source>
      <translation>标准</translation>
    </message>
    <message>
      <source>Thorough</source>
      <translation>精细</translation>
    </message>
    <message>
      <source>not an image</source>
      <translation>不是图片</translation>
    </message>
    <message>
      <source>not an image (empty file)</source>
      <translation>不是图片（空文件）</translation>
    </message>
    <message>
      <source>corrupt (the file is damaged)</source>
      <translation>已损坏（文件受损）</translation>
    </message>
    <message>
      <source>corrupt (the file is damaged or cut short)</source>
      <translation>已损坏（文件受损或不完整）</translation>
    </message>
    <message>
      <source>an empty folder, not a picture</source>
      <translation>空文件夹，不是图片</translation>
    </message>
    <message>
      <source>a hidden file or folder (skipped)</source>
      <translation>隐藏的文件或文件夹（已跳过）</translation>
    </message>
    <message>
      <source>not a regular file</source>
      <translation>不是普通文件</translation>
    </message>
    <message>
      <source>a link to a folder (not followed)</source>
      <translation>指向文件夹的链接（未跟随）</translation>
    </message>
    <message>
      <source>cannot be read (it does not exist)</source>
      <translation>无法读取（文件不存在）</translation>
    </message>
  </context>
</TS>
