<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Vitrine</name>
    <message>
      <location filename="../../app/state.py" line="270" />
      <source>Vitrine could not start its picture engine: %1</source>
      <translation>Vitrine 无法启动绘图引擎：%1</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="156" />
      <source>Please describe the product first.</source>
      <translation>请先描述商品。</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="265" />
      <source>No picture model is installed. Put a model folder into the models folder (or train one with “python -m app train”) and restart Vitrine.</source>
      <translation>尚未安装绘图模型。请把模型文件夹放进 models 文件夹（或用“python -m app train”训练一个），然后重新启动 Vitrine。</translation>
    </message>
    <message>
      <location filename="../../app/state.py" line="106" />
      <source>Settings could not be saved: %1</source>
      <translation>无法保存设置：%1</translation>
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
      <location filename="../../app/ui/gallery.py" line="165" />
      <source>Select a picture in the gallery.</source>
      <translation>请在图库中选择一张图片。</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="170" />
      <source>Variations</source>
      <translation>相似变体</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="173" />
      <source>Keep this version</source>
      <translation>保留此版本</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="208" />
      <source>Compare</source>
      <translation>对比</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="163" />
      <source>SELECTED PICTURE</source>
      <translation>选中的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="171" />
      <source>Paint close neighbours of this picture</source>
      <translation>生成与此图相近的图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="174" />
      <source>Add the picture as the sliders show it to the gallery</source>
      <translation>把滑块调整后的图片加入图库</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="219" />
      <source>Same request</source>
      <translation>相同的请求</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="191" />
      <source>%1 pictures selected</source>
      <translation>已选择 %1 张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="199" />
      <source>Seed %1 · picture %2 · creativity %3</source>
      <translation>种子 %1 · 第 %2 张 · 创意度 %3</translation>
    </message>
    <message>
      <location filename="../../app/ui/gallery.py" line="86" />
      <source>Seed %1, picture %2</source>
      <translation>种子 %1，第 %2 张</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="90" />
      <source>Your pictures will appear here. Describe a product on the left and press Generate (Ctrl+Enter).</source>
      <translation>生成的图片会显示在这里。在左侧描述商品，然后点击“生成”（Ctrl+Enter）。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="142" />
      <source>Starting the picture engine…</source>
      <translation>正在启动绘图引擎…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="153" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="154" />
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="159" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="161" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="169" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="177" />
      <source>&amp;Tools</source>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="178" />
      <source>Teach my shop's look…</source>
      <translation>学习我店铺的风格…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="209" />
      <source>No model</source>
      <translation>无模型</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="218" />
      <source>Model: %1 (%2 px)</source>
      <translation>模型：%1（%2 像素）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="222" />
      <source>Last generation: %1 s</source>
      <translation>上次生成：%1 秒</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="66" />
      <source>Dismiss</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="71" />
      <source>GALLERY</source>
      <translation>图库</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="73" />
      <source>Mark or unmark as favourite (F)</source>
      <translation>收藏或取消收藏（F）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="75" />
      <source>Compare two pictures side by side</source>
      <translation>并排对比两张图片</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="77" />
      <source>Delete the selected pictures (Del)</source>
      <translation>删除选中的图片（Del）</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="80" />
      <source>Thumbnail size</source>
      <translation>缩略图大小</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="85" />
      <source>Zoom</source>
      <translation>缩放</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="163" />
      <source>Light theme</source>
      <translation>浅色主题</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="163" />
      <source>Dark theme</source>
      <translation>深色主题</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="171" />
      <source>Follow the system</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="185" />
      <source>Not available in this version</source>
      <translation>此版本不可用</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="214" />
      <source>Device: %1</source>
      <translation>设备：%1</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="248" />
      <source>The language changes the next time Vitrine starts.</source>
      <translation>语言将在下次启动 Vitrine 时更改。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="134" />
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
</TS>
