<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Vitrine</name>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="1" />
      <source>Remove</source>
      <translation>删除</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="1" />
      <source>Delete this damaged model from your models</source>
      <translation>从您的模型中删除这个已损坏的模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="1" />
      <source>Remove damaged model</source>
      <translation>删除已损坏的模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/damaged_models.py" line="1" />
      <source>Delete the damaged model %1? This cannot be undone.</source>
      <translation>删除已损坏的模型 %1？此操作无法撤销。</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="335" />
      <source>Vitrine could not start its picture engine: %1</source>
      <translation>Vitrine 无法启动绘图引擎：%1</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="178" />
      <source>Please describe the product first.</source>
      <translation>请先描述商品。</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="206" />
      <source>This picture was made with the model “%1”%2, which is not installed; install that model to reopen it.</source>
      <translation>这张图片是用模型“%1”%2生成的，但该模型尚未安装；请先安装该模型再重新打开。</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="330" />
      <source>No picture model is installed. Put a model folder into the models folder (or train one with “python -m app train”) and restart Vitrine.</source>
      <translation>尚未安装绘图模型。请把模型文件夹放进 models 文件夹（或用“python -m app train”训练一个），然后重新启动 Vitrine。</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="118" />
      <source>Settings could not be saved: %1</source>
      <translation>无法保存设置：%1</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="205" />
      <source>version %1</source>
      <translation>版本 %1</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="43" />
      <source>Low: typical, safe pictures. High: more variety and surprises.</source>
      <translation>低：常规、稳妥的图片。高：更多变化和惊喜。</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="59" />
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="68" />
      <source>Generate</source>
      <translation>生成</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="69" />
      <source>Paint pictures for the description (Ctrl+Enter)</source>
      <translation>按描述生成图片（Ctrl+Enter）</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="71" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="24" />
      <source>How many pictures to paint</source>
      <translation>要生成多少张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="26" />
      <source>Pictures</source>
      <translation>张数</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="30" />
      <source>The same seed and description give the same pictures</source>
      <translation>相同的种子和描述会得到相同的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="35" />
      <source>New random seed</source>
      <translation>换一个随机种子</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="37" />
      <source>Seed</source>
      <translation>种子</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="46" />
      <source>Creativity</source>
      <translation>创意度</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="50" />
      <source>Picture size: larger sizes are sharpened by the learned upscaler</source>
      <translation>图片尺寸：更大的尺寸由学习型放大模型锐化</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="55" />
      <source>Size</source>
      <translation>尺寸</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="58" />
      <source>Which picture model paints</source>
      <translation>使用哪个绘图模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="62" />
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="88" />
      <source>Seed locked: Generate repeats the same pictures</source>
      <translation>种子已锁定：每次生成相同的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="89" />
      <source>Seed unlocked: every Generate paints new pictures</source>
      <translation>种子未锁定：每次生成新的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/controls.py" line="109" />
      <source>No model installed</source>
      <translation>未安装模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="60" />
      <source>Let Vitrine decide</source>
      <translation>交给 Vitrine 判断</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="71" />
      <source>Product</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="71" />
      <source>Colour</source>
      <translation>颜色</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="71" />
      <source>For</source>
      <translation>适用</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="102" />
      <source>Edit templates</source>
      <translation>编辑模板</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="104" />
      <source>One template per line. {colour}, {category} and {gender} are filled in from the chips; other {words} stay for you to replace.</source>
      <translation>每行一个模板。{colour}、{category} 和 {gender} 会按识别结果自动填写；其他 {词语} 保留，由您替换。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="152" />
      <source>e.g. navy blue cotton shirt for men — 男士深蓝色棉衬衫</source>
      <translation>例如：男士深蓝色棉衬衫 — navy blue cotton shirt for men</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="155" />
      <source>Describe the product in English or Chinese. Ctrl+Enter paints pictures.</source>
      <translation>用中文或英文描述商品。按 Ctrl+Enter 生成图片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="41" />
      <source>Vitrine understood (click to correct):</source>
      <translation>Vitrine 的理解（点击可更正）：</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="138" />
      <source>DESCRIBE YOUR PRODUCT</source>
      <translation>描述您的商品</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="140" />
      <source>Earlier descriptions</source>
      <translation>以前的描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="144" />
      <source>Templates</source>
      <translation>模板</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="77" />
      <source>Type a description to see how Vitrine reads it.</source>
      <translation>输入描述，看看 Vitrine 如何理解。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="81" />
      <source>Not sure (best guess %1, %2%). Click to choose.</source>
      <translation>不确定（最可能是 %1，%2%）。点击选择。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="108" />
      <source>Vitrine does not know this product yet, so it would paint something unrelated. Pick the closest one, or describe it with another word:</source>
      <translation>Vitrine 还不认识这种商品，画出来会是不相干的东西。请选择最接近的一个，或换个说法描述：</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="169" />
      <source>No earlier descriptions yet</source>
      <translation>还没有以前的描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="182" />
      <source>Edit templates…</source>
      <translation>编辑模板…</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="79" />
      <source>any</source>
      <translation>不限</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="88" />
      <source>Read from your words “%1”. Click to correct.</source>
      <translation>根据您写的“%1”识别。点击可更正。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="89" />
      <source>Guessed from the meaning of your description. Click to correct.</source>
      <translation>根据描述的含义推测。点击可更正。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="90" />
      <source>Chosen by you. Click to change.</source>
      <translation>由您选择。点击可更改。</translation>
    </message>
    <message>
      <location filename="../../app/ui/editor.py" line="85" />
      <source>your choice</source>
      <translation>您的选择</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="379" />
      <source>Select a picture in the gallery.</source>
      <translation>请在图库中选择一张图片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="384" />
      <source>Variations</source>
      <translation>相似变体</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="387" />
      <source>Keep this version</source>
      <translation>保留此版本</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="390" />
      <source>Repaint as described</source>
      <translation>按描述重绘</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="422" />
      <source>Found from a photo</source>
      <translation>从照片找到</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="423" />
      <source>Seed %1 · picture %2 · creativity %3</source>
      <translation>种子 %1 · 第 %2 张 · 创意度 %3</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="425" />
      <source>Your own photo, shown as it is (sliders do not apply to it)</source>
      <translation>您自己的照片，按原样显示（滑块不适用于它）</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="434" />
      <source>Compare</source>
      <translation>对比</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="179" />
      <source>Started from the photo %1</source>
      <translation>从照片 %1 开始</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="377" />
      <source>SELECTED PICTURE</source>
      <translation>选中的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="385" />
      <source>Paint close neighbours of this picture</source>
      <translation>生成与此图相近的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="388" />
      <source>Add the picture as the sliders show it to the gallery</source>
      <translation>把滑块调整后的图片加入图库</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="391" />
      <source>Paint this picture again with the description typed above, for example in another colour</source>
      <translation>按上方输入的描述重新绘制这张图片，例如换一种颜色</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="445" />
      <source>Same request</source>
      <translation>相同的请求</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="181" />
      <source>Seed %1, picture %2</source>
      <translation>种子 %1，第 %2 张</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="414" />
      <source>%1 pictures selected</source>
      <translation>已选择 %1 张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="98" />
      <source>Your pictures will appear here. Describe a product on the left and press Generate (Ctrl+Enter).</source>
      <translation>生成的图片会显示在这里。在左侧描述商品，然后点击“生成”（Ctrl+Enter）。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="152" />
      <source>Starting the picture engine…</source>
      <translation>正在启动绘图引擎…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="163" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="164" />
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="167" />
      <source>Open picture…</source>
      <translation>打开图片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="168" />
      <source>Reopen a picture exported by Vitrine and paint it again</source>
      <translation>打开 Vitrine 导出的图片并重新生成</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="170" />
      <source>Start from photo…</source>
      <translation>从照片开始…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="171" />
      <source>Find a photo of your product in the model and paint variations of it</source>
      <translation>在模型中找到商品照片的对应图片，并生成相似变体</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="177" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="179" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="187" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="195" />
      <source>&amp;Tools</source>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="196" />
      <source>Teach my shop's look…</source>
      <translation>学习我店铺的风格…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="227" />
      <source>No model</source>
      <translation>无模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="236" />
      <source>Model: %1 (%2 px)</source>
      <translation>模型：%1（%2 像素）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="240" />
      <source>Last generation: %1 s</source>
      <translation>上次生成：%1 秒</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="313" />
      <source>Your new model “%1” is ready and selected.</source>
      <translation>新模型“%1”已就绪并已选用。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="317" />
      <source>Open picture</source>
      <translation>打开图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="318" />
      <source>Vitrine pictures (*.png *.jpg *.jpeg *.webp *.json)</source>
      <translation>Vitrine 图片 (*.png *.jpg *.jpeg *.webp *.json)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="323" />
      <source>Start from photo</source>
      <translation>从照片开始</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="324" />
      <source>Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</source>
      <translation>照片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="329" />
      <source>Finding %1 in the model…</source>
      <translation>正在模型中查找 %1…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="377" />
      <source>Your photo, the closest picture Vitrine can paint and its variations are in the gallery. Edit them with the sliders, Variations, or another description and “Repaint as described”; the description is Vitrine's guess.</source>
      <translation>您的照片、Vitrine 能画出的最接近的图片及其相似变体已加入图库。可用滑块、“相似变体”，或输入新的描述后点“按描述重绘”来编辑它们；描述是 Vitrine 的推测。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="74" />
      <source>Dismiss</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="79" />
      <source>GALLERY</source>
      <translation>图库</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="81" />
      <source>Mark or unmark as favourite (F)</source>
      <translation>收藏或取消收藏（F）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="83" />
      <source>Compare two pictures side by side</source>
      <translation>并排对比两张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="85" />
      <source>Delete the selected pictures (Del)</source>
      <translation>删除选中的图片（Del）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="88" />
      <source>Thumbnail size</source>
      <translation>缩略图大小</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="93" />
      <source>Zoom</source>
      <translation>缩放</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="181" />
      <source>Light theme</source>
      <translation>浅色主题</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="181" />
      <source>Dark theme</source>
      <translation>深色主题</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="189" />
      <source>Follow the system</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="203" />
      <source>Not available in this version</source>
      <translation>此版本不可用</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="232" />
      <source>Device: %1</source>
      <translation>设备：%1</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="266" />
      <source>The language changes the next time Vitrine starts.</source>
      <translation>语言将在下次启动 Vitrine 时更改。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="302" />
      <source>Teach my shop's look</source>
      <translation>学习我店铺的风格</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="365" />
      <source>Not a picture or a Vitrine file: %1</source>
      <translation>不是图片或 Vitrine 文件：%1</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="369" />
      <source>Finding the photo: step %1 of %2</source>
      <translation>正在查找照片：第 %1 步，共 %2 步</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="373" />
      <source>Start from photo was cancelled.</source>
      <translation>已取消“从照片开始”。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="360" />
      <source>These photos were added to “Teach my shop's look”: give the new model a name and press Start to teach Vitrine your shop's look.</source>
      <translation>这些照片已加入“学习我店铺的风格”：为新模型起个名字，然后按“开始”，让 Vitrine 学习您店铺的风格。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="142" />
      <source>Painting…</source>
      <translation>正在生成…</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="26" />
      <source>Reset all</source>
      <translation>全部重置</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="24" />
      <source>ADJUST</source>
      <translation>调整</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="71" />
      <source>This model has no sliders yet.</source>
      <translation>此模型还没有调节滑块。</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="54" />
      <source>Back to the middle</source>
      <translation>回到中间</translation>
    </message>
    <message>
      <location filename="../../app/ui/sliders.py" line="73" />
      <source>Select one picture to adjust it.</source>
      <translation>选择一张图片即可调整。</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="94" />
      <source>Export pictures</source>
      <translation>导出图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="110" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="115" />
      <source>e.g. SHIRT-001</source>
      <translation>例如 SHIRT-001</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="118" />
      <source>Fields: {sku} {name} {index} {date} {seed} {colour} {category} {model}</source>
      <translation>字段：{sku} 货号，{name} 名称，{index} 序号，{date} 日期，{seed} 种子，{colour} 颜色，{category} 品类，{model} 模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="130" />
      <source>Custom size</source>
      <translation>自定义尺寸</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="135" />
      <source>Pure white background</source>
      <translation>纯白背景</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="136" />
      <source>Write a .json file beside each picture</source>
      <translation>在每张图片旁写入一个 .json 文件</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="139" />
      <source>Add -1, -2… to the name</source>
      <translation>在文件名后加 -1、-2…</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="140" />
      <source>Ask before replacing</source>
      <translation>替换前询问</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="145" />
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="147" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="148" />
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="150" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="163" />
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="164" />
      <source>Subfolder</source>
      <translation>子文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="165" />
      <source>SKU</source>
      <translation>货号</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="166" />
      <source>Product name</source>
      <translation>商品名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="167" />
      <source>File names</source>
      <translation>文件名</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="169" />
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="170" />
      <source>Size</source>
      <translation>尺寸</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="173" />
      <source>If a file exists</source>
      <translation>文件已存在时</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="234" />
      <source>Choose the export folder</source>
      <translation>选择导出文件夹</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="286" />
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="325" />
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="112" />
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="112" />
      <source>By SKU</source>
      <translation>按货号</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="112" />
      <source>By product name</source>
      <translation>按商品名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="160" />
      <source>Quality</source>
      <translation>质量</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="258" />
      <source>Replace files?</source>
      <translation>替换文件？</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="263" />
      <source>Keep both</source>
      <translation>两者都保留</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="228" />
      <source> … and {0} more</source>
      <translation> …… 另有 {0} 个</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="302" />
      <source>Exported {0} picture(s) to {1}</source>
      <translation>已将 {0} 张图片导出到 {1}</translation>
    </message>
    <message>
      <location filename="../../app/ui/export_dialog.py" line="259" />
      <source>{0} file(s) already exist in this folder, e.g. {1}. Replace them?</source>
      <translation>此文件夹中已有 {0} 个同名文件，例如 {1}。要替换吗？</translation>
    </message>
    <message>
      <source>Taobao / Tmall (800×800)</source>
      <translation>淘宝 / 天猫（800×800）</translation>
    </message>
    <message>
      <source>JD.com (800×800)</source>
      <translation>京东（800×800）</translation>
    </message>
    <message>
      <source>Amazon (1600×1600, pure white, product 85%)</source>
      <translation>亚马逊（1600×1600，纯白背景，商品占 85%）</translation>
    </message>
    <message>
      <source>Shopify (2048×2048)</source>
      <translation>Shopify（2048×2048）</translation>
    </message>
  </context>
  <context>
    <name>TrainingPanel</name>
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
    <message>
      <location filename="../../app/ui/training_panel.py" line="103" />
      <source>Drop photos or folders of your products here, or choose them.</source>
      <translation>把商品照片或文件夹拖到这里，或点击选择。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="104" />
      <source>Choose photos…</source>
      <translation>选择照片…</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="112" />
      <source>Not used:</source>
      <translation>未使用：</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="114" />
      <source>e.g. My shop's shoes</source>
      <translation>例如 我店里的鞋子</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="116" />
      <source>One description for all photos, e.g. red leather heels</source>
      <translation>所有照片共用的描述，例如 红色皮革高跟鞋</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="118" />
      <source>Description of the selected photo (optional)</source>
      <translation>所选照片的描述（可选）</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="125" />
      <source>Start</source>
      <translation>开始</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="126" />
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="127" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="128" />
      <source>Stop and keep best</source>
      <translation>停止并保留最佳结果</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="145" />
      <source>Model name</source>
      <translation>模型名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="146" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="147" />
      <source>This photo</source>
      <translation>这张照片</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="148" />
      <source>Training time</source>
      <translation>训练时长</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="189" />
      <source>Choose product photos</source>
      <translation>选择商品照片</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="190" />
      <source>Pictures (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</source>
      <translation>图片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/ui/training_panel.py" line="196" />
      <source>Reading %n photo(s)…</source>
      <translation>
        <numerusform>正在读取 %n 张照片…</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="252" />
      <source>Starting…</source>
      <translation>正在开始…</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="241" />
      <source>Add some photos of your products first.</source>
      <translation>请先添加一些商品照片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="244" />
      <source>Give the new model a name.</source>
      <translation>请为新模型起个名字。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="264" />
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="265" />
      <source>Paused.</source>
      <translation>已暂停。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="270" />
      <source>Cancelling… your existing models stay as they are.</source>
      <translation>正在取消…现有模型保持不变。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="275" />
      <source>Stopping and saving the best model so far…</source>
      <translation>正在停止并保存目前最好的模型…</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="293" />
      <source>Finished.</source>
      <translation>已完成。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="293" />
      <source>Stopped.</source>
      <translation>已停止。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="302" />
      <source>Training stopped: %1. Your existing models are unchanged.</source>
      <translation>训练已停止：%1。现有模型未作任何改动。</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="222" />
      <source>Description of this photo (default: %1)</source>
      <translation>这张照片的描述（默认：%1）</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="283" />
      <source>about %1 left</source>
      <translation>大约还剩 %1</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="174" />
      <source>%1: ≈%2 steps on this computer</source>
      <translation>%1：在这台电脑上约 %2 步</translation>
    </message>
    <message>
      <location filename="../../app/ui/training_panel.py" line="211" />
      <source>%1 photos ready, %2 not used.</source>
      <translation>%1 张照片可用，%2 张未使用。</translation>
    </message>
    <message>
      <source>Quick (≈3 min)</source>
      <translation>快速（约 3 分钟）</translation>
    </message>
    <message>
      <source>Standard (≈10 min)</source>
      <translation>标准（约 10 分钟）</translation>
    </message>
    <message>
      <source>Thorough (≈30 min)</source>
      <translation>精细（约 30 分钟）</translation>
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
  </context>
</TS>
