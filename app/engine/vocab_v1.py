"""Vocabulary version 1 (44 product types), frozen: the shipped vitrine-base and shop models tuned from it are
conditioned on exactly this order. Never edit it; add a new version (vocab_v2.py) instead."""

from __future__ import annotations

from app.engine.vocab_types import Value, _v

# Article types with enough photos to learn from; rarer catalogue types map onto these via ALIASES.
CATEGORIES: tuple[Value, ...] = (
    _v("Tshirts", "T-shirt", "T恤", "t-shirt,t shirt,tshirt,tee,tees,polo,jersey", "t恤,短袖,体恤,polo衫,球衣"),
    _v("Shirts", "shirt", "衬衫", "shirt,button-down,button down,oxford", "衬衫,衬衣"),
    _v("Casual Shoes", "casual shoes", "休闲鞋", "casual shoes,sneaker,sneakers,loafer,loafers,canvas shoes,shoes,shoe",
       "休闲鞋,板鞋,帆布鞋,乐福鞋,鞋子,鞋"),
    _v("Watches", "watch", "手表", "watch,wristwatch,timepiece,chronograph", "手表,腕表,表"),
    _v("Sports Shoes", "sports shoes", "运动鞋", "sports shoes,running shoes,trainers,trainer,runners,athletic shoes,running shoe",
       "运动鞋,跑鞋,跑步鞋,训练鞋"),
    _v("Kurtas", "kurta", "库尔塔长衫", "kurta,kurtas", "库尔塔,长衫"),
    _v("Handbags", "handbag", "手提包", "handbag,purse,tote,shoulder bag,bag", "手提包,手袋,女包,挎包,包包,包"),
    _v("Tops", "top", "上衣", "top,blouse,tank top,camisole", "上衣,女士上衣,雪纺衫,吊带"),
    _v("Heels", "heels", "高跟鞋", "heels,high heels,heel,pumps,stilettos", "高跟鞋,细跟鞋"),
    _v("Sunglasses", "sunglasses", "太阳镜", "sunglasses,sunglass,shades,aviators", "太阳镜,墨镜"),
    _v("Wallets", "wallet", "钱包", "wallet,billfold,card holder", "钱包,皮夹,卡包"),
    _v("Flip Flops", "flip flops", "人字拖", "flip flops,flip-flops,flip flop,slippers,slides,chappals", "人字拖,拖鞋,夹脚拖"),
    _v("Sandals", "sandals", "凉鞋", "sandals,sandal", "凉鞋"),
    _v("Briefs", "briefs", "内裤", "briefs,brief,underwear,boxers,panties", "内裤,三角裤,平角裤"),
    _v("Belts", "belt", "腰带", "belt,belts", "腰带,皮带"),
    _v("Backpacks", "backpack", "双肩包", "backpack,rucksack,school bag,daypack", "双肩包,背包,书包"),
    _v("Socks", "socks", "袜子", "socks,sock", "袜子,短袜,长袜"),
    _v("Formal Shoes", "formal shoes", "正装皮鞋", "formal shoes,dress shoes,oxfords,derby,brogues,leather shoes",
       "正装鞋,皮鞋,商务鞋"),
    _v("Jeans", "jeans", "牛仔裤", "jeans,denim,denims", "牛仔裤,牛仔长裤"),
    _v("Perfume and Body Mist", "perfume", "香水", "perfume,fragrance,body mist,cologne,eau de parfum,deodorant,deo",
       "香水,香氛,喷雾,止汗露,香体露"),
    _v("Shorts", "shorts", "短裤", "shorts,short pants,bermuda", "短裤,五分裤"),
    _v("Trousers", "trousers", "长裤", "trousers,pants,chinos,slacks,track pants,joggers", "长裤,裤子,西裤,休闲裤,运动裤"),
    _v("Flats", "flats", "平底鞋", "flats,ballet flats,ballerinas,flat shoes", "平底鞋,单鞋"),
    _v("Bra", "bra", "文胸", "bra,bralette,brassiere", "文胸,胸罩,内衣"),
    _v("Dresses", "dress", "连衣裙", "dress,dresses,gown,frock", "连衣裙,裙子,长裙,礼服"),
    _v("Sarees", "saree", "纱丽", "saree,sari", "纱丽"),
    _v("Earrings", "earrings", "耳环", "earrings,earring,studs,ear studs", "耳环,耳钉,耳饰"),
    _v("Clutches", "clutch", "手拿包", "clutch,clutches,evening bag", "手拿包,晚宴包"),
    _v("Sweatshirts", "sweatshirt", "卫衣", "sweatshirt,hoodie,hoody,pullover", "卫衣,连帽衫"),
    _v("Caps", "cap", "帽子", "cap,hat,baseball cap,beanie", "帽子,棒球帽,鸭舌帽"),
    _v("Nail Polish", "nail polish", "指甲油", "nail polish,nail paint,nail lacquer,lipstick,lip gloss,makeup",
       "指甲油,口红,唇膏,化妆品"),
    _v("Sweaters", "sweater", "毛衣", "sweater,jumper,cardigan,knitwear", "毛衣,针织衫,开衫"),
    _v("Ties", "tie", "领带", "tie,necktie,bow tie", "领带,领结"),
    _v("Jackets", "jacket", "夹克", "jacket,coat,blazer,windcheater,bomber", "夹克,外套,西装外套,风衣"),
    _v("Innerwear Vests", "vest", "背心", "vest,undershirt,tank", "背心,汗衫"),
    _v("Tunics", "tunic", "长款上衣", "tunic,kurti,kurtis", "长款上衣,束腰外衣"),
    _v("Nightdress", "nightwear", "睡衣", "nightdress,nightgown,nightwear,night suit,pyjamas,pajamas,sleepwear",
       "睡衣,睡裙,家居服"),
    _v("Leggings", "leggings", "打底裤", "leggings,tights,capris,jeggings", "打底裤,紧身裤,七分裤"),
    _v("Pendant", "necklace", "项链", "pendant,necklace,chain,locket", "项链,吊坠"),
    _v("Skirts", "skirt", "半身裙", "skirt,skirts,mini skirt", "半身裙,短裙"),
    _v("Scarves", "scarf", "围巾", "scarf,scarves,stole,dupatta,shawl", "围巾,丝巾,披肩"),
    _v("Ring", "ring", "戒指", "ring,rings", "戒指"),
    _v("Cufflinks", "cufflinks", "袖扣", "cufflinks,cuff links", "袖扣"),
    _v("Laptop Bag", "laptop bag", "电脑包", "laptop bag,messenger bag,briefcase,duffel bag,duffle,travel bag",
       "电脑包,公文包,旅行包"),
)

# Catalogue article types folded into the vocabulary above (look-alike products).
ALIASES: dict[str, str] = {
    "Deodorant": "Perfume and Body Mist", "Track Pants": "Trousers", "Lipstick": "Nail Polish",
    "Lip Gloss": "Nail Polish", "Kajal and Eyeliner": "Nail Polish", "Lip Liner": "Nail Polish",
    "Kurtis": "Tunics", "Night suits": "Nightdress", "Capris": "Leggings", "Necklace and Chains": "Pendant",
    "Trunk": "Briefs", "Boxers": "Briefs", "Dupatta": "Scarves", "Stoles": "Scarves", "Mufflers": "Scarves",
    "Duffel Bag": "Laptop Bag", "Messenger Bag": "Laptop Bag", "Rucksacks": "Backpacks", "Mobile Pouch": "Wallets",
    "Kurta Sets": "Kurtas", "Camisoles": "Innerwear Vests", "Jumpsuit": "Dresses", "Bracelet": "Ring",
    "Bangle": "Ring", "Jewellery Set": "Pendant", "Blazers": "Jackets", "Rain Jacket": "Jackets",
    "Waistcoat": "Jackets", "Lounge Pants": "Trousers", "Patiala": "Trousers", "Salwar": "Trousers",
    "Churidar": "Leggings", "Tights": "Leggings", "Jeggings": "Leggings", "Sports Sandals": "Sandals",
    "Headband": "Caps", "Hat": "Caps", "Swimwear": "Bra", "Shapewear": "Bra", "Bath Robe": "Nightdress",
    "Baby Dolls": "Nightdress", "Robe": "Nightdress", "Lounge Shorts": "Shorts", "Boxer": "Briefs",
    "Stockings": "Socks", "Tracksuits": "Sweatshirts", "Rompers": "Dresses", "Lehenga Choli": "Dresses",
    "Tablet Sleeve": "Laptop Bag", "Travel Accessory": "Wallets", "Nail Essentials": "Nail Polish",
    "Lip Care": "Nail Polish", "Fragrance Gift Set": "Perfume and Body Mist", "Trolley Bag": "Laptop Bag",
    "Waist Pouch": "Wallets", "Hair Accessory": "Caps", "Water Bottle": "Perfume and Body Mist",
}

COLOURS: tuple[Value, ...] = (
    _v("Black", "black", "黑色", "black,jet black,ebony", "黑色,黑"),
    _v("White", "white", "白色", "white,off white,off-white,ivory", "白色,白,米白色,乳白色"),
    _v("Blue", "blue", "蓝色", "blue,light blue,sky blue,royal blue,denim blue", "蓝色,蓝,天蓝色,浅蓝色,宝蓝色"),
    _v("Navy Blue", "navy blue", "深蓝色", "navy blue,navy,dark blue,midnight blue", "深蓝色,藏青色,藏蓝色,海军蓝,深蓝"),
    _v("Brown", "brown", "棕色", "brown,tan,coffee,chocolate,camel,cognac", "棕色,咖啡色,褐色,驼色,棕"),
    _v("Grey", "grey", "灰色", "grey,gray,charcoal,melange,ash", "灰色,灰,深灰色,浅灰色,炭灰色"),
    _v("Red", "red", "红色", "red,scarlet,crimson,cherry", "红色,红,大红色"),
    _v("Green", "green", "绿色", "green,olive,khaki,sea green,lime,mint", "绿色,绿,军绿色,橄榄绿,墨绿色"),
    _v("Pink", "pink", "粉色", "pink,rose,blush,peach,magenta,fuchsia", "粉色,粉红色,粉红,玫红色,粉"),
    _v("Purple", "purple", "紫色", "purple,lavender,violet,mauve,lilac", "紫色,紫,薰衣草紫,淡紫色"),
    _v("Silver", "silver", "银色", "silver,steel,metallic,chrome", "银色,银,钢色"),
    _v("Yellow", "yellow", "黄色", "yellow,mustard,lemon", "黄色,黄,芥末黄,柠檬黄"),
    _v("Beige", "beige", "米色", "beige,cream,nude,skin,taupe,sand", "米色,奶油色,肤色,杏色"),
    _v("Gold", "gold", "金色", "gold,golden,bronze,copper", "金色,金,古铜色,铜色"),
    _v("Maroon", "maroon", "酒红色", "maroon,burgundy,wine,rust", "酒红色,枣红色,暗红色,勃艮第红"),
    _v("Orange", "orange", "橙色", "orange,coral,tangerine", "橙色,橘色,橙"),
    _v("Teal", "teal", "青色", "teal,turquoise,cyan,aqua", "青色,蓝绿色,松石绿,湖蓝色"),
    _v("Multi", "multicolour", "多色", "multi,multicolour,multicolor,multi-colour,printed,floral,colourful,colorful",
       "多色,彩色,印花,拼色"),
)

COLOUR_ALIASES: dict[str, str] = {
    "Off White": "White", "Cream": "Beige", "Steel": "Silver", "Charcoal": "Grey", "Peach": "Pink",
    "Skin": "Beige", "Lavender": "Purple", "Grey Melange": "Grey", "Khaki": "Green", "Magenta": "Pink",
    "Tan": "Brown", "Mustard": "Yellow", "Bronze": "Gold", "Copper": "Gold", "Turquoise Blue": "Teal",
    "Rust": "Maroon", "Burgundy": "Maroon", "Metallic": "Silver", "Coffee Brown": "Brown", "Mauve": "Purple",
    "Nude": "Beige", "Sea Green": "Green", "Rose": "Pink", "Mushroom Brown": "Brown", "Taupe": "Beige",
    "Fluorescent Green": "Green", "Lime Green": "Green", "Olive": "Green",
}

GENDERS: tuple[Value, ...] = (
    _v("Men", "men", "男士", "men,men's,mens,man,male,gentleman,gents,him,his", "男士,男款,男式,男装,男性,男"),
    _v("Women", "women", "女士", "women,women's,womens,woman,female,ladies,lady,her,girls' fashion", "女士,女款,女式,女装,女性,女"),
    _v("Unisex", "unisex", "中性", "unisex,everyone,anyone,couple", "中性,男女通用,情侣"),
    _v("Boys", "boys", "男童", "boys,boy,boy's,kids,children,child,toddler", "男童,男孩,儿童,童装,小孩"),
    _v("Girls", "girls", "女童", "girls,girl,girl's", "女童,女孩"),
)

GENDER_ALIASES: dict[str, str] = {}
